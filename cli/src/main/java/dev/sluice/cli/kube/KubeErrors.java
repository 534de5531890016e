package dev.sluice.cli.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns what the Kubernetes client throws into one line a person can act on. */
public final class KubeErrors {
  private KubeErrors() {}

  public static String describe(KubernetesClientException e, String server) {
    String where = server == null ? "the Kubernetes API server" : "the Kubernetes API server at " + trimSlash(server);
    Throwable cause = rootCause(e);
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      return "cannot connect to " + where + ": connection refused (is the cluster running, and is this the right context?)";
    }
    if (cause instanceof UnknownHostException) {
      return "cannot connect to " + where + ": unknown host " + cause.getMessage();
    }
    if (cause instanceof SSLException) {
      return "TLS handshake with " + where + " failed: " + firstLine(cause.getMessage());
    }
    if (timedOut(e)) {
      // the client's timeout says nothing more ("(no message)"), a socket's little ("Read timed out")
      return "no answer from " + where + " in time (--request-timeout, default 10s)";
    }
    String serverMessage = serverMessage(e);
    switch (e.getCode()) {
      case 401:
        return "unauthorized: " + where + " rejected the credentials of the kubeconfig";
      case 403:
        return "forbidden: " + serverMessage;
      case 404:
        return "not found: " + serverMessage + " (are the Sluice CRDs installed? kubectl apply --server-side -f crds/)";
      case 409:
        return "conflict: " + serverMessage + " (someone changed it at the same time; try again)";
      case 422:
        return "rejected by the API server: " + serverMessage;
      default:
        return serverMessage;
    }
  }

  private static String serverMessage(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return firstLine(status.getMessage());
    }
    Throwable cause = rootCause(e);
    if (cause != null && cause != e && cause.getMessage() != null) {
      return firstLine(e.getMessage()) + ": " + firstLine(cause.getMessage());
    }
    return firstLine(e.getMessage());
  }

  /**
   * Anywhere in the chain. The JDK client, giving up on a request at its timeout, closes the
   * connection, and on a busy machine the request may fail with that close ("connection closed
   * locally") rather than with the timeout; a command closes no connection mid-request otherwise.
   */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException || t instanceof HttpTimeoutException || t.getClass().getSimpleName().contains("Timeout")
          || "connection closed locally".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
      if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof SSLException) {
        return cause;
      }
    }
    return cause;
  }

  private static String firstLine(String message) {
    return message == null ? "(no message)" : message.lines().findFirst().orElse("").strip();
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
