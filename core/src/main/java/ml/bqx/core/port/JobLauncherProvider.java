package ml.bqx.core.port;

/** Finds the job launcher of a URI scheme ({@code cloudrun}, {@code process}). */
public interface JobLauncherProvider extends AdapterProvider<JobLauncher> {}
