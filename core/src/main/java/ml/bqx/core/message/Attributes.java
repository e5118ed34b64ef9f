package ml.bqx.core.message;

/** Pub/Sub attribute keys that subscribers filter on; shared with terraform's filters. */
public final class Attributes {
  public static final String KIND = "kind";
  public static final String RUN = "run";
  public static final String PAIR = "pair";
  public static final String ATTEMPT = "attempt";
  public static final String STAGE = "stage";
  public static final String STATUS = "status";

  private Attributes() {}
}
