package dev.sluice.cli.kube;

import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.ContextBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The fabric8 client configuration kubectl would use for the same flags: the kubeconfig files
 * (--kubeconfig, else $KUBECONFIG's list, else ~/.kube/config; the first file naming a context,
 * cluster or user wins), the context (--context or the current one) with its cluster and user
 * replaced by --cluster and --user, then --server, --token, --insecure-skip-tls-verify,
 * --request-timeout, --as, --as-group and -n on top.
 */
public final class ClientConfig {
  private ClientConfig() {}

  /** With the kubeconfig files kubectl would read when --kubeconfig is not given. */
  public static Config of(ClusterOptions options) {
    return of(options, Config.getKubeconfigFilenames());
  }

  static Config of(ClusterOptions options, Collection<String> defaultKubeconfigs) {
    if (!options.asGroups().isEmpty() && options.as() == null) {
      throw new CliException("--as-group needs --as: groups are impersonated together with a user");
    }
    Config config = fromKubeconfigs(options, defaultKubeconfigs);
    if (options.server() != null) {
      config.setMasterUrl(options.server());
    }
    if (options.token() != null) {
      // the token is the credential, instead of whatever the kubeconfig's user has
      config.setUsername(null);
      config.setPassword(null);
      config.setClientCertFile(null);
      config.setClientCertData(null);
      config.setClientKeyFile(null);
      config.setClientKeyData(null);
      config.setAuthProvider(null);
      config.setAutoOAuthToken(null);
      config.setOauthTokenProvider(null);
      config.setOauthToken(options.token());
    }
    if (options.insecureSkipTlsVerify()) {
      config.setTrustCerts(true);
      config.setDisableHostnameVerification(true);
    }
    if (options.requestTimeout() != null) {
      // like kubectl, 0 waits as long as it takes
      int millis = Math.toIntExact(options.requestTimeout().toMillis());
      config.setRequestTimeout(millis);
      if (millis > 0) config.setConnectionTimeout(millis);
    }
    if (options.as() != null) {
      config.setImpersonateUsername(options.as());
      config.setImpersonateGroups(options.asGroups().toArray(String[]::new));
    }
    if (options.namespace() != null) {
      config.setNamespace(options.namespace());
    }
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new CliException("no API server: the kubeconfig's cluster has no server; give --server or fix the kubeconfig");
    }
    return config;
  }

  private static Config fromKubeconfigs(ClusterOptions options, Collection<String> defaultKubeconfigs) {
    List<File> files;
    if (options.kubeconfig() != null) {
      if (!Files.isReadable(options.kubeconfig())) {
        throw new CliException("kubeconfig " + options.kubeconfig() + " does not exist or cannot be read");
      }
      files = List.of(options.kubeconfig().toFile());
    } else {
      files = defaultKubeconfigs.stream().filter(Objects::nonNull).map(File::new).filter(File::isFile).toList();
    }
    if (files.isEmpty()) {
      if (options.context() != null || options.cluster() != null || options.user() != null) {
        throw new CliException("no kubeconfig found ($KUBECONFIG or ~/.kube/config) to take --context, --cluster or --user from");
      }
      if (inAPod()) {
        return Config.autoConfigure(null); // no kubeconfig in a pod: its service account, as kubectl does
      }
      if (options.server() == null) {
        throw new CliException("no kubeconfig found ($KUBECONFIG or ~/.kube/config): give --kubeconfig, or --server and --token");
      }
      return Config.empty();
    }
    io.fabric8.kubernetes.api.model.Config[] kubeconfigs;
    try {
      kubeconfigs = files.stream().map(KubeConfigUtils::parseConfig).toArray(io.fabric8.kubernetes.api.model.Config[]::new);
    } catch (KubernetesClientException e) {
      throw new CliException("cannot read the kubeconfig: " + e.getMessage());
    }
    String contextName = options.context() != null ? options.context() : currentContext(kubeconfigs);
    NamedContext context = first(kubeconfigs, c -> c.getContexts(), NamedContext::getName, contextName);
    if (options.context() != null && context == null) {
      throw new CliException("context \"" + options.context() + "\" is not in the kubeconfig"
          + known(kubeconfigs, c -> c.getContexts(), NamedContext::getName, "contexts"));
    }
    if (options.cluster() != null || options.user() != null) {
      requireNamed(kubeconfigs, c -> c.getClusters(), NamedCluster::getName, options.cluster(), "cluster", "clusters");
      requireNamed(kubeconfigs, c -> c.getUsers(), NamedAuthInfo::getName, options.user(), "user", "users");
      if (context == null) {
        // kubectl --cluster C --user U works without any context: a context made of the two
        context = new NamedContext(new ContextBuilder().build(), contextName = "kubectl-sluice-flags");
        kubeconfigs[0].setContexts(append(kubeconfigs[0].getContexts(), context));
      }
      ContextBuilder replaced = new ContextBuilder(context.getContext());
      if (options.cluster() != null) replaced.withCluster(options.cluster());
      if (options.user() != null) replaced.withUser(options.user());
      // the NamedContext object stays (it remembers its file, for relative paths); its content changes
      context.setContext(replaced.build());
    }
    Config config = Config.empty();
    KubeConfigUtils.merge(config, contextName, kubeconfigs);
    if (options.kubeconfig() == null) {
      // what Config.autoConfigure adds to the kubeconfig: KUBERNETES_* environment variables
      Config.configFromSysPropsOrEnvVars(config);
    }
    return config;
  }

  private static boolean inAPod() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null
        && Files.isReadable(java.nio.file.Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH));
  }

  private static String currentContext(io.fabric8.kubernetes.api.model.Config[] kubeconfigs) {
    return Stream.of(kubeconfigs).map(io.fabric8.kubernetes.api.model.Config::getCurrentContext)
        .filter(name -> name != null && !name.isBlank()).findFirst().orElse(null);
  }

  private static <T> T first(io.fabric8.kubernetes.api.model.Config[] kubeconfigs,
      Function<io.fabric8.kubernetes.api.model.Config, List<T>> items, Function<T, String> name, String wanted) {
    if (wanted == null) return null;
    return Stream.of(kubeconfigs).map(items).filter(Objects::nonNull).flatMap(List::stream)
        .filter(item -> wanted.equals(name.apply(item))).findFirst().orElse(null);
  }

  private static <T> void requireNamed(io.fabric8.kubernetes.api.model.Config[] kubeconfigs,
      Function<io.fabric8.kubernetes.api.model.Config, List<T>> items, Function<T, String> name, String wanted,
      String what, String whats) {
    if (wanted != null && first(kubeconfigs, items, name, wanted) == null) {
      throw new CliException(what + " \"" + wanted + "\" is not in the kubeconfig" + known(kubeconfigs, items, name, whats));
    }
  }

  private static <T> String known(io.fabric8.kubernetes.api.model.Config[] kubeconfigs,
      Function<io.fabric8.kubernetes.api.model.Config, List<T>> items, Function<T, String> name, String whats) {
    List<String> names = Stream.of(kubeconfigs).map(items).filter(Objects::nonNull).flatMap(List::stream)
        .map(name).distinct().toList();
    return names.isEmpty() ? "" : " (" + whats + ": " + String.join(", ", names) + ")";
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> result = list == null ? new ArrayList<>() : new ArrayList<>(list);
    result.add(item);
    return result;
  }
}
