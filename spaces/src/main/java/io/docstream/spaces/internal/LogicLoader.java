package io.docstream.spaces.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.SpaceLogic;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Instantiates a custom space's logic class, failing with the property key that named it. */
public final class LogicLoader {
  private LogicLoader() {}

  /**
   * Loads {@code className} with the thread's context class loader (falling back to this module's)
   * and calls its public no-argument constructor.
   *
   * @throws DocstreamException with {@link ErrorCode#SPACE_CLASS_INVALID} naming {@code key}
   */
  public static SpaceLogic instantiate(String key, String className) {
    Class<?> type = load(key, className);
    if (!SpaceLogic.class.isAssignableFrom(type)) {
      throw invalid(key, className + " does not implement " + SpaceLogic.class.getName(), null);
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      throw invalid(key, className + " must be a public concrete class", null);
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw invalid(key, className + " has no public no-argument constructor", e);
    }
    try {
      return (SpaceLogic) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw invalid(key, className + " constructor threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw invalid(key, className + " cannot be instantiated: " + e, e);
    }
  }

  private static Class<?> load(String key, String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LogicLoader.class.getClassLoader();
    }
    try {
      return Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw invalid(
          key,
          "class " + className + " not found (a built-in name or a class on the classpath)",
          e);
    } catch (LinkageError e) {
      throw invalid(key, "class " + className + " cannot be loaded: " + e, e);
    }
  }

  private static DocstreamException invalid(String key, String reason, Throwable cause) {
    return new DocstreamException(ErrorCode.SPACE_CLASS_INVALID, key + ": " + reason, cause);
  }
}
