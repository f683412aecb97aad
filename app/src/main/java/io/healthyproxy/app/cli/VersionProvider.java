package io.healthyproxy.app.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by the build), so there is one source of truth. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"healthy-proxy " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
