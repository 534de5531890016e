package dev.sluice.e2e.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a container runtime does before it starts an image's process, done with util-linux and
 * coreutils (this needs root): new mount, PID and UTS namespaces; the unpacked root file system
 * bind-mounted read-only (as {@code readOnlyRootFilesystem: true}); {@code /proc} and {@code /dev}
 * mounted in it; {@code /etc/hosts} naming the pod's host name; one read-only volume; then the
 * entrypoint run by {@code chroot} as the image's user with the image's environment and nothing of
 * this JVM's. The network is the host's, so the controller reaches the local API server on 127.0.0.1.
 * The mounts live in the private namespace only and end with it.
 *
 * @param volume a host directory mounted read-only at {@code volumePath} in the container
 */
public record ContainerSandbox(Path rootfs, String user, List<String> env, String hostname, Path volume, String volumePath) {

  /** The command that starts {@code entrypoint} (plus whatever arguments are appended) inside the sandbox. */
  public List<String> command(List<String> entrypoint, Map<String, String> extraEnv) {
    Path hosts = rootfs.resolveSibling(rootfs.getFileName() + ".hosts");
    try {
      // mount points the runtime provides; made before the root becomes read-only
      for (String dir : List.of("proc", "dev", volumePath.substring(1))) Files.createDirectories(rootfs.resolve(dir));
      if (!Files.exists(rootfs.resolve("etc/hosts"))) Files.createFile(rootfs.resolve("etc/hosts"));
      Files.writeString(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t" + hostname + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String root = rootfs.toString();
    List<String> environment = new ArrayList<>(env);
    environment.add("HOSTNAME=" + hostname);
    extraEnv.forEach((k, v) -> environment.add(k + "=" + v));
    String script = String.join("\n",
        "set -eu",
        "hostname " + q(hostname),
        "mount --bind " + q(root) + " " + q(root),
        "mount -o remount,bind,ro " + q(root),
        "mount -t proc proc " + q(root + "/proc"),
        "mount --rbind /dev " + q(root + "/dev"),
        "mount --bind " + q(hosts.toString()) + " " + q(root + "/etc/hosts"),
        "mount --bind " + q(volume.toString()) + " " + q(root + volumePath),
        "mount -o remount,bind,ro " + q(root + volumePath),
        "chroot=$(command -v chroot)",
        // the arguments after the script's name are the entrypoint and the flags appended to it
        "exec env -i " + String.join(" ", environment.stream().map(ContainerSandbox::q).toList())
            + " \"$chroot\" --userspec=" + q(user) + " " + q(root) + " \"$@\"");
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--uts", "--pid", "--fork", "--kill-child=SIGTERM",
        "sh", "-c", script, "container"));
    command.addAll(entrypoint);
    return command;
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
