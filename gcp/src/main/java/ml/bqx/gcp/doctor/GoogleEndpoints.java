package ml.bqx.gcp.doctor;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;

/**
 * Where the doctor's clients connect: Google's own endpoints (both null), or stand-ins for them.
 *
 * @param grpc the channel of every gRPC API (Service Usage, Cloud Run, Pub/Sub, Cloud Functions,
 *     Artifact Registry, Resource Manager); null for Google's endpoints
 * @param httpHost the base URL of the HTTP/JSON APIs (Cloud Storage, BigQuery), e.g. {@code
 *     http://127.0.0.1:8080}; null for Google's
 */
public record GoogleEndpoints(TransportChannelProvider grpc, String httpHost) {
  public static final GoogleEndpoints GOOGLE = new GoogleEndpoints(null, null);

  /** A gRPC client's settings, calling as these credentials, on these endpoints. */
  <B extends ClientSettings.Builder<?, B>> B grpc(B settings, Credentials credentials) {
    // NoCredentials (a stand-in's) sends no token: the provider of none, as PubSub's emulator
    // path uses; a fixed NoCredentials fails computing its metadata.
    settings.setCredentialsProvider(
        credentials instanceof NoCredentials
            ? NoCredentialsProvider.create()
            : FixedCredentialsProvider.create(credentials));
    if (grpc != null) {
      settings.setTransportChannelProvider(grpc);
    }
    return settings;
  }

  /** An HTTP/JSON client's options, calling as these credentials, on these endpoints. */
  <B extends ServiceOptions.Builder<?, ?, B>> B http(B options, String project, Credentials c) {
    options.setProjectId(project).setCredentials(c);
    if (httpHost != null) {
      options.setHost(httpHost);
    }
    return options;
  }
}
