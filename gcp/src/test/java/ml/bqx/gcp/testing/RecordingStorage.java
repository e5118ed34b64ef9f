package ml.bqx.gcp.testing;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A {@link Storage} that records, before passing each call on, the GCS JSON API method it makes
 * (https://cloud.google.com/storage/docs/json_api/v1/objects). A write or copy onto an existing
 * object is recorded as a replacement: GCS then also checks storage.objects.delete
 * (https://cloud.google.com/storage/docs/access-control/iam-json, "objects insert ... overwrite").
 * A method this table does not know is recorded under its Java name, so the IAM check fails on it.
 */
public final class RecordingStorage implements InvocationHandler {
  private final Storage delegate;
  private final ApiCalls calls;

  private RecordingStorage(Storage delegate, ApiCalls calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  public static Storage of(Storage delegate, ApiCalls calls) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            new RecordingStorage(delegate, calls));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(delegate, args);
    }
    record(method.getName(), args);
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void record(String name, Object[] args) {
    Object first = args == null || args.length == 0 ? null : args[0];
    switch (name) {
      case "get", "readAllBytes", "reader" -> calls.record("storage.objects.get", bucket(first));
      case "list" -> calls.record("storage.objects.list", bucket(first));
      case "delete" -> calls.record("storage.objects.delete", bucket(first));
      case "blobWriteSession", "create", "writer" -> insert((BlobInfo) first);
      case "copy" -> {
        Storage.CopyRequest copy = (Storage.CopyRequest) first;
        calls.record("storage.objects.get", bucket(copy.getSource()));
        BlobInfo target = copy.getTarget();
        calls.record(
            replaces(target) ? "storage.objects.rewrite+replace" : "storage.objects.rewrite",
            "buckets/" + target.getBucket());
      }
      case "compose" -> {
        BlobInfo target = ((Storage.ComposeRequest) first).getTarget();
        calls.record(
            replaces(target) ? "storage.objects.compose+replace" : "storage.objects.compose",
            "buckets/" + target.getBucket());
      }
      case "getOptions" -> {
        // not a call to GCS
      }
      default -> calls.record("storage.java." + name, bucket(first));
    }
  }

  private void insert(BlobInfo target) {
    calls.record(
        replaces(target) ? "storage.objects.insert+replace" : "storage.objects.insert",
        "buckets/" + target.getBucket());
  }

  private boolean replaces(BlobInfo target) {
    return delegate.get(BlobId.of(target.getBucket(), target.getName())) != null;
  }

  private static String bucket(Object arg) {
    if (arg instanceof BlobId id) {
      return "buckets/" + id.getBucket();
    }
    if (arg instanceof BlobInfo info) {
      return "buckets/" + info.getBucket();
    }
    if (arg instanceof String bucket) {
      return "buckets/" + bucket;
    }
    return "?";
  }
}
