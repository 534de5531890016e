package dev.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest at build time. */
public final class ManifestVersion implements IVersionProvider {

  public static String text() {
    String version = ManifestVersion.class.getPackage().getImplementationVersion();
    return "kubectl-sluice " + (version == null ? "(development build: not run from kubectl-sluice.jar)" : version);
  }

  @Override
  public String[] getVersion() {
    return new String[] {text()};
  }
}
