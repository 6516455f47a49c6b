package dev.llmops.guardrails.secrets;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * Test corpora for {@link SecretsGuard}: ordinary code, configuration and prose that holds no secret, and fake
 * secrets of every supported type in realistic surroundings. Fake values are assembled at run time from obviously
 * fake pieces ("EXAMPLE", "FAKE"), so secret scanners in CI have no literal to trip over.
 */
final class SecretCorpus {

  private SecretCorpus() {}

  /** A secret in context, and the type and value the guard must report. */
  record Case(String text, SecretType type, String value) {}

  /** {@code length} characters cycling through a fake, mixed-class alphabet. */
  static String fake(int length) {
    String alphabet = "FAKEexample0123456789ZyXwVuTsRq";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt((i * 7 + i / alphabet.length()) % alphabet.length()));
    }
    return b.toString();
  }

  static String fakeBase64(int length) {
    String alphabet = "FAKEexample0123456789ZyXwVuTsRq+/";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt((i * 5 + i / alphabet.length()) % alphabet.length()));
    }
    return b.toString();
  }

  static String awsKeyId() {
    return "AKIA" + "IOSFODNN7EXAMPLE";
  }

  static String awsSecret() {
    return "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
  }

  static String jwt() {
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String header = enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = enc.encodeToString(
        "{\"sub\":\"fake-user-example\",\"name\":\"Example Person\",\"iat\":1516239022}"
            .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + fake(43).replace('Z', '_');
  }

  static String pemBody() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(fakeBase64(64)).append('\n');
    }
    return b.toString();
  }

  static List<Case> secrets() {
    List<Case> cases = new ArrayList<>();
    String aws = awsKeyId();
    cases.add(new Case("export AWS_ACCESS_KEY_ID=" + aws + "\n", SecretType.AWS_ACCESS_KEY, aws));
    cases.add(new Case("My key is " + aws + ", can you check why S3 says 403?", SecretType.AWS_ACCESS_KEY, aws));
    String sts = "ASIA" + "EXAMPLEFAKE2345";
    sts = sts + "Q";
    cases.add(new Case("{\"AccessKeyId\": \"" + sts + "\"}", SecretType.AWS_ACCESS_KEY, sts));
    String secret = awsSecret();
    cases.add(new Case("[default]\naws_secret_access_key = " + secret + "\n", SecretType.AWS_SECRET_KEY, secret));
    cases.add(new Case("AWS_SECRET_ACCESS_KEY=\"" + secret + "\"", SecretType.AWS_SECRET_KEY, secret));
    String gcp = "AIza" + "SyFAKE" + fake(29);
    cases.add(new Case("const mapsKey = '" + gcp + "';", SecretType.GCP_API_KEY, gcp));
    cases.add(new Case("https://maps.googleapis.com/maps/api/geocode/json?address=x&key=" + gcp,
        SecretType.GCP_API_KEY, gcp));
    String saKey = "-----BEGIN PRIVATE KEY-----\\n" + fakeBase64(64) + "\\n" + fakeBase64(64)
        + "\\n-----END PRIVATE KEY-----\\n";
    cases.add(new Case("{\n  \"type\": \"service_account\",\n  \"project_id\": \"example-project\",\n"
        + "  \"private_key_id\": \"0123456789abcdef\",\n  \"private_key\": \"" + saKey + "\",\n"
        + "  \"client_email\": \"bot@example-project.iam.gserviceaccount.com\"\n}",
        SecretType.GCP_SERVICE_ACCOUNT_KEY, saKey.substring(0, saKey.length() - 2)));
    String azureKey = fakeBase64(86) + "==";
    cases.add(new Case("DefaultEndpointsProtocol=https;AccountName=examplestore;AccountKey=" + azureKey
        + ";EndpointSuffix=core.windows.net", SecretType.AZURE_ACCOUNT_KEY, azureKey));
    String sbKey = fakeBase64(43) + "=";
    cases.add(new Case("Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        + "SharedAccessKey=" + sbKey, SecretType.AZURE_ACCOUNT_KEY, sbKey));
    String sig = fake(40) + "%3D";
    cases.add(new Case("curl 'https://examplestore.blob.core.windows.net/c/file.txt?sv=2022-11-02&ss=b&srt=o&sp=r"
        + "&se=2030-01-01T00:00:00Z&sig=" + sig + "'", SecretType.AZURE_SAS_TOKEN, sig));
    for (String prefix : List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) {
      String token = prefix + fake(36);
      cases.add(new Case("git clone https://" + token + "@github.com/example/repo.git", SecretType.GITHUB_TOKEN,
          token));
    }
    String pat = "github_pat_" + fake(22) + "_" + fake(59);
    cases.add(new Case("GITHUB_TOKEN: " + pat, SecretType.GITHUB_TOKEN, pat));
    String gl = "glpat-" + fake(20);
    cases.add(new Case("curl --header \"PRIVATE-TOKEN: " + gl + "\" https://gitlab.example.com/api/v4/projects",
        SecretType.GITLAB_TOKEN, gl));
    for (String p : List.of("xoxb", "xoxp", "xoxa", "xoxs", "xoxr", "xoxo")) {
      String slack = p + "-" + "123456789012-1234567890123-" + fake(24);
      cases.add(new Case("SLACK_BOT_TOKEN=" + slack, SecretType.SLACK_TOKEN, slack));
    }
    String xapp = "xapp-1-A0EXAMPLE1-1234567890123-" + "0123456789abcdef".repeat(4);
    cases.add(new Case("app token " + xapp, SecretType.SLACK_TOKEN, xapp));
    String hook = "https://hooks.slack.com/services/" + "T00000000/B00000000/" + fake(24);
    cases.add(new Case("requests.post(\"" + hook + "\", json={\"text\": \"deploy done\"})",
        SecretType.SLACK_WEBHOOK, hook));
    String stripe = "sk_" + "live_" + fake(24);
    cases.add(new Case("Stripe.apiKey = \"" + stripe + "\";", SecretType.STRIPE_SECRET_KEY, stripe));
    String rk = "rk_" + "live_" + fake(24);
    cases.add(new Case("restricted: " + rk, SecretType.STRIPE_SECRET_KEY, rk));
    String skTest = "sk_" + "test_" + fake(24);
    cases.add(new Case("STRIPE_KEY=" + skTest, SecretType.STRIPE_TEST_KEY, skTest));
    String pk = "pk_" + "live_" + fake(24);
    cases.add(new Case("<script>Stripe('" + pk + "')</script>", SecretType.STRIPE_PUBLISHABLE_KEY, pk));
    String openai = "sk-" + fake(20) + "T3Blbk" + "FJ" + fake(20);
    cases.add(new Case("client = OpenAI(api_key=\"" + openai + "\")", SecretType.OPENAI_API_KEY, openai));
    String proj = "sk-proj-" + fake(64).replace('Z', '_') + "-" + fake(20);
    cases.add(new Case("Here is my key " + proj + " why does it fail?", SecretType.OPENAI_API_KEY, proj));
    String ant = "sk-ant-" + "api03-" + fake(80).replace('y', '-') + "AA";
    cases.add(new Case("ANTHROPIC_API_KEY=" + ant, SecretType.ANTHROPIC_API_KEY, ant));
    String jwt = jwt();
    cases.add(new Case("Authorization: Bearer " + jwt, SecretType.JWT, jwt));
    cases.add(new Case("the cookie was session=" + jwt + "; Path=/", SecretType.JWT, jwt));
    for (String kind : List.of("RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", "")) {
      String block = "-----BEGIN " + kind + "PRIVATE KEY-----\n" + pemBody() + "-----END " + kind + "PRIVATE KEY-----";
      cases.add(new Case("key.pem:\n" + block + "\nthanks", SecretType.PRIVATE_KEY, block));
    }
    String truncated = "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody().strip();
    cases.add(new Case(truncated + "\n(the rest got cut off)", SecretType.PRIVATE_KEY, truncated));
    cases.add(new Case("DATABASE_URL=postgres://app:Tr0ub4dor-3x@db.internal:5432/app", SecretType.URL_PASSWORD,
        "Tr0ub4dor-3x"));
    cases.add(new Case("amqp://guest:s3cr3tFAKE99@rabbit.example.com/vhost", SecretType.URL_PASSWORD,
        "s3cr3tFAKE99"));
    cases.add(new Case("spring.datasource.password=Hunter2fake!", SecretType.PASSWORD, "Hunter2fake!"));
    cases.add(new Case("db:\n  user: app\n  password: \"correct-horse-9\"\n", SecretType.PASSWORD,
        "correct-horse-9"));
    cases.add(new Case("String dbPassword = \"pa55w0rdFAKE\";", SecretType.PASSWORD, "pa55w0rdFAKE"));
    cases.add(new Case("{\"client_secret\": \"cs_" + fake(30) + "\"}", SecretType.GENERIC_SECRET, "cs_" + fake(30)));
    cases.add(new Case("API_KEY=ak-" + fake(24), SecretType.GENERIC_SECRET, "ak-" + fake(24)));
    String django = "dj-" + fake(50);
    cases.add(new Case("# settings.py\nSECRET_KEY = '" + django + "'\nDEBUG = False", SecretType.GENERIC_SECRET,
        django));
    String bearer = fake(40);
    cases.add(new Case("curl -H 'Authorization: Bearer " + bearer + "' https://api.example.com/v1/me",
        SecretType.HIGH_ENTROPY_STRING, bearer));
    String opaque = fake(32);
    cases.add(new Case("my api token is " + opaque + " please keep it safe", SecretType.HIGH_ENTROPY_STRING, opaque));
    String hex = "9f86d081884c7d659a2feaa0c55ad015";
    cases.add(new Case("x-auth-header " + hex + "a3bf4f1b2b0b822cd15d6c15b0f00a08", SecretType.HIGH_ENTROPY_STRING,
        hex + "a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    String longOne = fake(56);
    cases.add(new Case("use this: " + longOne, SecretType.HIGH_ENTROPY_STRING, longOne));
    return cases;
  }

  /** Ordinary code, configuration, data and prose with no secret in it. */
  static List<String> benign() {
    List<String> texts = new ArrayList<>();
    texts.add("""
        public final class TokenBucket {
          private final long capacity;
          private long tokens;
          private static final String API_KEY_HEADER = "X-Api-Key";

          public boolean tryAcquire(int permits) {
            if (tokens >= permits) {
              tokens -= permits;
              return true;
            }
            return false;
          }

          String password = System.getenv("DB_PASSWORD");
          String apiKey = config.getString("service.apiKey");
          char[] secret = console.readPassword("Password: ");
          if (password == null || password.isEmpty()) { throw new IllegalStateException("no password"); }
        }
        """);
    texts.add("""
        import os
        from dataclasses import dataclass

        @dataclass
        class Settings:
            api_key: str
            token: Optional[str] = None
            max_tokens: int = 4096

        def load() -> Settings:
            password = os.environ["DB_PASSWORD"]
            api_key = os.getenv("OPENAI_API_KEY")
            secret = settings.SECRET_KEY
            token = request.headers.get("Authorization")
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            return Settings(api_key=api_key, token=token)
        """);
    texts.add("""
        {
          "name": "example-app",
          "version": "2.3.1",
          "private": true,
          "scripts": {"build": "tsc -p .", "test": "vitest run"},
          "dependencies": {"express": "^4.19.2", "jsonwebtoken": "^9.0.2"},
          "config": {"port": 8080, "logLevel": "info", "tokenTtlSeconds": 3600, "passwordMinLength": 12}
        }
        """);
    texts.add("""
        "node_modules/express": {
          "version": "4.19.2",
          "resolved": "https://registry.npmjs.org/express/-/express-4.19.2.tgz",
          "integrity": "sha512-5T6nhjsT+EOMzuck8JjBHARTHfMht0POzlA60WV2pMD3gyXw2LZnZ+ueGdNxG+0calOJcWKbpFcuzLZ91YWq9Q==",
          "dependencies": {"accepts": "~1.3.8"}
        }
        """);
    texts.add("""
        github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=
        github.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=
        [[package]]
        name = "serde"
        version = "1.0.203"
        checksum = "7253ab4de971e72fb7be983802300c30b5a7f0c2e56fab8abfc6a214307c0094"
        """);
    texts.add("""
        commit 3f8a1c9e2b7d4f6a0c5e8b1d3f7a9c2e4b6d8f0a
        Author: Example Dev <dev@example.com>
        Date:   Tue Mar 4 10:00:00 2025 +0000

            Fix token refresh race (closes #123)

        request id 550e8400-e29b-41d4-a716-446655440000, trace 4bf92f3577b34da6a3ce929d0e0e4736
        sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        image: ghcr.io/example/app@sha256:9b2a6c3e1d0f4a7b8c5e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b
        """);
    texts.add("""
        Visit https://docs.example.com/guide/authentication?lang=en#tokens for details, or
        https://user@example.com/path and http://localhost:8080/api/v1/keys?limit=10. Connect with
        postgres://app@db.internal:5432/app (the password comes from PGPASSWORD) or
        mysql://root:${MYSQL_PASSWORD}@mysql:3306/db or redis://:password@localhost:6379.
        """);
    texts.add("""
        To create an API key, open Settings, choose "API keys" and press "Create secret key". Keep your
        password and tokens secret: never paste them into chats or commit them to Git. A strong password has
        at least twelve characters. The tokenizer splits text into tokens before the model sees it, and the
        secretary keeps the keys to the office. Set API_KEY=<your-key> and PASSWORD=your_password_here.
        """);
    texts.add("""
        <img alt="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAABHNCSVQICAgIfAhkiAAAAAlwSFlzAAAOxAAADsQBlSsOGwAAABl0RVh0U29mdHdhcmUAd3d3Lmlua3NjYXBlLm9yZ5vuPBoAAAEhSURBVDiNpZM9SwNBEIafvb1Ej0REsLGwsLGwEmxE">
        Content-Type: application/pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZUR
        lY29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAwALJMLU31jBQsTAz1LBSKUrnCtRTyuAIBAP/ucm
        Y5MzQ1NjdlYjJhMTBkZjc4OWM2ZmUzYjQ1MjlhNWUwZGQ0ZmI3ZTZhYTg2NTRjY2E5YmQxZTM=
        <input type="password" name="password" autocomplete="current-password">
        """);
    texts.add("""
        -----BEGIN CERTIFICATE-----
        MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ
        RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD
        VQQDExlCYWx0aW1vcmUgQ3liZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoX
        -----END CERTIFICATE-----
        ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl dev@example
        """);
    texts.add("""
        spring:
          datasource:
            url: jdbc:postgresql://db:5432/app
            username: app
            password: ${DB_PASSWORD}
          security:
            oauth2:
              client:
                registration:
                  github:
                    client-secret: ${GITHUB_CLIENT_SECRET}
        token_url: https://oauth2.example.com/token
        private_key_path: /etc/app/key.pem
        """);
    texts.add("""
        The sk-learn-style pipeline and the ASIA-Pacific region both matter; AKIA is a prefix we look for.
        Use src/main/java/dev/llmops/guardrails/secrets/SecretsGuard.java and
        com.example.payments.internal.StripeWebhookSignatureVerifierConfiguration for details.
        sk-1 is a skill code; xoxb- alone is nothing; ghp_ is a prefix; eyJ is how base64 JSON starts.
        const isValid = await bcrypt.compare(password, user.passwordHash);
        if (token.length !== 64) return res.status(401).json({ error: "invalid token" });
        """);
    texts.add("""
        The quick brown fox jumps over the lazy dog. In 2023 the company reported revenue of 4.2 billion
        dollars, up 12% year over year. Keys, locks and doors were discussed at length in the meeting,
        and everyone agreed the secret to good coffee is fresh beans.
        """);
    texts.add("""
        MIT License

        Copyright (c) 2024 Example Corp

        Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
        associated documentation files (the "Software"), to deal in the Software without restriction.
        """);
    return texts;
  }
}
