package io.docstream.serdes;

/** The topics of one docstream deployment: {@code <prefix>.commands}, {@code .deltas}, ... */
public record TopicNames(String prefix) {
  public String commands() {
    return prefix + ".commands";
  }

  public String deltas() {
    return prefix + ".deltas";
  }

  public String rejections() {
    return prefix + ".rejections";
  }

  /** One compacted partition naming each processor application's current generation. */
  public String control() {
    return prefix + ".control";
  }
}
