package io.docstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the running {@code docstream run} keeps its data, recorded in a well-known file ({@code
 * ~/.docstream/run.properties}) so that {@code token}, {@code get} and {@code verify} find its
 * secrets without being told its {@code --data-dir}. Written when {@code run} is ready, removed
 * when it stops; a record whose process is gone is ignored.
 *
 * @param pid the {@code run} process
 * @param dataDir its data directory, absolute
 */
record RunRecord(long pid, Path dataDir) {
  /** Overrides the record's location (tests). */
  static final String LOCATION_PROPERTY = "docstream.run.record";

  static Path file() {
    String override = System.getProperty(LOCATION_PROPERTY);
    return override != null
        ? Path.of(override)
        : Path.of(System.getProperty("user.home"), ".docstream", "run.properties");
  }

  /** The record of a {@code run} that is still alive, if any. */
  static Optional<RunRecord> findLive() {
    Path file = file();
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
      RunRecord run =
          new RunRecord(
              Long.parseLong(props.getProperty("pid")), Path.of(props.getProperty("data.dir")));
      return ProcessHandle.of(run.pid()).filter(ProcessHandle::isAlive).map(p -> run);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Records this process as the running instance; best effort, as nothing depends on it. */
  static RunRecord writeForThisProcess(Path dataDir) {
    RunRecord run = new RunRecord(ProcessHandle.current().pid(), dataDir.toAbsolutePath());
    Properties props = new Properties();
    props.setProperty("pid", Long.toString(run.pid()));
    props.setProperty("data.dir", run.dataDir().toString());
    Path file = file();
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "the running docstream run (docstream token/get/verify read it)");
      }
    } catch (IOException e) {
      System.err.println("note: cannot record the run in " + file + ": " + e);
    }
    return run;
  }

  /** Removes the record if it is still this one's. */
  void remove() {
    if (findLive().filter(this::equals).isPresent()) {
      try {
        Files.deleteIfExists(file());
      } catch (IOException e) {
        System.err.println("note: cannot remove " + file() + ": " + e);
      }
    }
  }
}
