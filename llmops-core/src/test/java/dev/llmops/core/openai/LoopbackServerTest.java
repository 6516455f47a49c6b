package dev.llmops.core.openai;

import org.junit.jupiter.api.AfterEach;

/**
 * Base of the client tests: a {@link ScriptedHttpServer} on loopback per test, and the client the test builds
 * in {@link #client}; both are closed after each test.
 */
abstract class LoopbackServerTest {

  final ScriptedHttpServer server = ScriptedHttpServer.start();
  OpenAiClient client;

  @AfterEach
  void closeClientAndServer() {
    if (client != null) {
      client.close();
    }
    server.close();
  }
}
