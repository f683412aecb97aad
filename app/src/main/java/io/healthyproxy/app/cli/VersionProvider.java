package io.healthyproxy.app.cli;

import io.healthyproxy.http.internal.NettyTransport;
import picocli.CommandLine;

/**
 * The version from the jar's manifest (set by the build), so there is one source of truth; then the runtime: the
 * JVM, and Netty's transport and buffers as this JVM's options make them (as {@code haproxy -vv} tells its own).
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"healthy-proxy " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                "Netty: transport " + NettyTransport.name() + ", buffers " + NettyTransport.buffers()};
    }
}
