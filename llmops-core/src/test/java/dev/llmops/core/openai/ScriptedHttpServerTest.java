package dev.llmops.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.openai.ScriptedHttpServer.RecordedRequest;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixture itself, checked byte by byte with a raw socket client. */
class ScriptedHttpServerTest {

  private final ScriptedHttpServer server = ScriptedHttpServer.start();

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** Sends {@code request} and reads everything until the server closes the connection. */
  private String exchange(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void recordsTheRequestAndAnswersWithContentLength() throws Exception {
    server.enqueue(Script.json(201, "{\"ok\":true}").header("X-Trace", "t1"));

    String response = exchange("POST /v1/things?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        + "X-Multi: one\r\nX-Multi: two\r\nContent-Length: 10\r\n\r\n{\"a\":\"é\"}"); // é is two bytes

    assertThat(response).startsWith("HTTP/1.1 201 ").contains("Content-Length: 11\r\n").contains("X-Trace: t1\r\n")
        .contains("Connection: close\r\n").endsWith("\r\n\r\n{\"ok\":true}");
    RecordedRequest request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/things");
    assertThat(request.query()).isEqualTo("x=1");
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.headers().get("x-multi")).containsExactly("one", "two");
    assertThat(request.body()).isEqualTo("{\"a\":\"é\"}");
    assertThat(request.json().path("a").asText()).isEqualTo("é");
  }

  @Test
  void readsChunkedRequestBodies() throws Exception {
    server.enqueue(Script.status(204));

    exchange("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");

    assertThat(server.onlyRequest().body()).isEqualTo("abcde");
  }

  @Test
  void streamsChunksAndEndsWithTheLastChunk() throws Exception {
    server.enqueue(Script.sse().event("1").pause(5).event("2").done());

    String response = exchange("GET /s HTTP/1.1\r\n\r\n");

    assertThat(response).contains("Transfer-Encoding: chunked\r\n")
        .contains("9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n")
        .endsWith("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
    assertThat(server.responsesStarted()).isEqualTo(1);
  }

  @Test
  void aDropEndsTheConnectionWithoutTheLastChunk() throws Exception {
    server.enqueue(Script.sse().event("1").thenDrop());

    String response = exchange("GET /s HTTP/1.1\r\n\r\n");

    assertThat(response).endsWith("9\r\ndata: 1\n\n\r\n").doesNotContain("0\r\n\r\n");
  }

  @Test
  void aCloseDelimitedBodyHasNoLength() throws Exception {
    server.enqueue(Script.sse().closeDelimited().event("1"));

    String response = exchange("GET /s HTTP/1.1\r\n\r\n");

    assertThat(response).doesNotContain("Content-Length").doesNotContain("Transfer-Encoding").endsWith("\r\n\r\ndata: 1\n\n");
  }

  @Test
  void answers500WhenNoScriptIsLeftAndUsesTheFallbackHandler() throws Exception {
    assertThat(exchange("GET /nothing HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 500 ").contains("no script left for GET /nothing");

    server.otherwise(request -> Script.text(200, "echo " + request.path()));

    assertThat(exchange("GET /again HTTP/1.1\r\n\r\n")).endsWith("echo /again");
    assertThat(server.requestCount()).isEqualTo(2);
  }
}
