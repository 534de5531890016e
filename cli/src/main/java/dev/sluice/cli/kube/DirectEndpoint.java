package dev.sluice.cli.kube;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Where and as whom the flags and the kubeconfig say to connect, read without the fabric8 client,
 * for the commands that only read: the same choice {@link ClientConfig} makes (the files, the first
 * one naming a context, cluster or user wins; --context, --cluster, --user, --server, --token,
 * --insecure-skip-tls-verify, --request-timeout, --as, --as-group, -n on top). Only for what it can
 * do exactly as fabric8 does: a server with a CA or none, client certificates, a bearer token. Empty
 * for anything else (exec plugins, auth providers, token files, basic auth, proxies, TLS server names,
 * KUBERNETES_* variables, no kubeconfig) and for every mistake: the full client then connects, or
 * says what is wrong, as before.
 */
record DirectEndpoint(
    String server, String namespace,
    String caPem, boolean insecure, String clientCertPem, String clientKeyPem,
    String token, String as, List<String> asGroups,
    Duration connectTimeout, Duration readTimeout) {

  /** fabric8's defaults: 10 s to connect and 10 s for an answer. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> CLUSTER_KEYS = Set.of("server", "certificate-authority", "certificate-authority-data",
      "insecure-skip-tls-verify", "extensions");
  private static final Set<String> USER_KEYS = Set.of("token", "client-certificate", "client-certificate-data",
      "client-key", "client-key-data", "extensions");
  /** Replaced by --token, as all of the user's credentials are. */
  private static final Set<String> BASIC_AUTH = Set.of("username", "password");

  /** With the kubeconfig files kubectl would read when --kubeconfig is not given, and this process's environment. */
  static Optional<DirectEndpoint> of(ClusterOptions options) {
    if (System.getProperties().stringPropertyNames().stream()
        .anyMatch(p -> p.startsWith("kubernetes.") || p.equals("kubeconfig") || p.endsWith(".proxyHost"))) {
      return Optional.empty();
    }
    return of(options, System.getenv(), Path.of(System.getProperty("user.home"), ".kube", "config"));
  }

  static Optional<DirectEndpoint> of(ClusterOptions options, Map<String, String> env, Path homeKubeconfig) {
    if (!options.asGroups().isEmpty() && options.as() == null) return Optional.empty();
    if (env.keySet().stream().anyMatch(name -> name.toLowerCase().endsWith("_proxy"))) return Optional.empty();
    List<Path> files;
    if (options.kubeconfig() != null) {
      files = List.of(options.kubeconfig());
    } else {
      // what fabric8 adds to the kubeconfig when --kubeconfig is not given
      if (env.keySet().stream().anyMatch(name -> name.startsWith("KUBERNETES_"))) return Optional.empty();
      String list = env.get("KUBECONFIG");
      files = (list == null ? List.of(homeKubeconfig.toString()) : List.of(list.split(File.pathSeparator))).stream()
          .filter(name -> !name.isEmpty()).map(Path::of).filter(Files::isRegularFile).toList();
    }
    if (files.isEmpty()) return Optional.empty();
    try {
      List<Kubeconfig> kubeconfigs = new ArrayList<>();
      for (Path file : files) kubeconfigs.add(Kubeconfig.read(file));
      return resolve(options, kubeconfigs);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<DirectEndpoint> resolve(ClusterOptions options, List<Kubeconfig> kubeconfigs) throws IOException {
    String contextName = options.context() != null ? options.context()
        : kubeconfigs.stream().map(k -> k.string(k.root, "current-context")).filter(n -> n != null && !n.isBlank()).findFirst().orElse(null);
    Named context = named(kubeconfigs, "contexts", "context", contextName);
    if (context == null && (options.context() != null || options.cluster() == null || options.user() == null)) return Optional.empty();
    String clusterName = options.cluster() != null ? options.cluster() : context.string("cluster");
    String userName = options.user() != null ? options.user() : context.string("user");
    Named cluster = named(kubeconfigs, "clusters", "cluster", clusterName);
    Named user = named(kubeconfigs, "users", "user", userName);
    if (cluster == null || user == null || !CLUSTER_KEYS.containsAll(cluster.value.keySet())
        || !user.value.keySet().stream().allMatch(key -> USER_KEYS.contains(key) || options.token() != null && BASIC_AUTH.contains(key))) {
      return Optional.empty();
    }
    String server = options.server() != null ? options.server() : cluster.string("server");
    if (server == null || server.isBlank()) return Optional.empty();
    if (!server.startsWith("http://") && !server.startsWith("https://")) server = "https://" + server;
    if (!server.endsWith("/")) server += "/";

    boolean insecure = options.insecureSkipTlsVerify() || Boolean.TRUE.equals(cluster.value.get("insecure-skip-tls-verify"));
    String ca = cluster.pem("certificate-authority-data", "certificate-authority");
    String cert = null;
    String key = null;
    String token = options.token();
    if (token == null) {
      cert = user.pem("client-certificate-data", "client-certificate");
      key = user.pem("client-key-data", "client-key");
      if ((cert == null) != (key == null)) return Optional.empty();
      token = user.string("token");
    }
    String namespace = options.namespace() != null ? options.namespace()
        : context == null || context.string("namespace") == null ? "default" : context.string("namespace");
    Duration readTimeout = options.requestTimeout() != null ? options.requestTimeout() : DEFAULT_TIMEOUT;
    Duration connectTimeout = readTimeout.isZero() ? DEFAULT_TIMEOUT : readTimeout;
    return Optional.of(new DirectEndpoint(server, namespace, ca, insecure, cert, key, token,
        options.as(), options.asGroups(), connectTimeout, readTimeout));
  }

  private static Named named(List<Kubeconfig> kubeconfigs, String list, String key, String name) {
    if (name == null) return null;
    for (Kubeconfig kubeconfig : kubeconfigs) {
      if (!(kubeconfig.root.get(list) instanceof List<?> items)) continue;
      for (Object item : items) {
        if (item instanceof Map<?, ?> entry && name.equals(entry.get("name"))) {
          Object value = entry.get(key);
          return new Named(kubeconfig, value == null ? Map.of() : (Map<?, ?>) value);
        }
      }
    }
    return null;
  }

  private record Kubeconfig(Path file, Map<?, ?> root) {
    static Kubeconfig read(Path file) throws IOException {
      Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      return new Kubeconfig(file, root == null ? Map.of() : (Map<?, ?>) root);
    }

    String string(Map<?, ?> map, String key) {
      Object value = map.get(key);
      if (value != null && !(value instanceof String)) throw new IllegalArgumentException(key + " is not a string");
      return (String) value;
    }
  }

  /** A cluster, user or context entry, and the file that names it (relative paths are relative to it). */
  private record Named(Kubeconfig kubeconfig, Map<?, ?> value) {
    String string(String key) {
      return kubeconfig.string(value, key);
    }

    String pem(String dataKey, String fileKey) throws IOException {
      String data = string(dataKey);
      if (data != null) return new String(Base64.getDecoder().decode(data.strip()), StandardCharsets.US_ASCII);
      String file = string(fileKey);
      if (file == null) return null;
      Path path = Path.of(file);
      Path dir = Objects.requireNonNullElse(kubeconfig.file.toAbsolutePath().getParent(), Path.of("."));
      return Files.readString(path.isAbsolute() ? path : dir.resolve(path), StandardCharsets.US_ASCII);
    }
  }
}
