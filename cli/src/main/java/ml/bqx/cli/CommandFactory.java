package ml.bqx.cli;

import java.lang.reflect.Constructor;
import ml.bqx.cli.context.CliContext;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Creates commands, handing the {@link CliContext} to those whose constructor takes it. */
final class CommandFactory implements IFactory {
  private final CliContext context;
  private final IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(CliContext context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      Class<?>[] parameters = constructor.getParameterTypes();
      if (parameters.length == 1 && parameters[0] == CliContext.class) {
        constructor.setAccessible(true);
        return type.cast(constructor.newInstance(context));
      }
    }
    return fallback.create(type);
  }
}
