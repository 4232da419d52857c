package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.jpa.packages.util.PackageUtils;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the conformance package into the server (profiles, extensions, search parameters,
 * code systems, value sets, concept maps, subscription topics), offline, from the server's own jar.
 *
 * <p>A restart with the same package content does nothing (HAPI's installer would otherwise search
 * for every resource again). A package rebuilt with new content under the same version replaces
 * the stored one, so a development build never runs on stale profiles.
 */
class ConformancePackageInstaller {

    private static final Logger log = LoggerFactory.getLogger(ConformancePackageInstaller.class);

    /**
     * HAPI's default types plus Basic: in R4 a subscription topic is a Basic (FHIR Subscriptions Backport), which
     * HAPI's installer leaves out unless asked; the package's only Basics are its topics (examples are elsewhere).
     */
    static final List<String> INSTALL_TYPES = withBasic(PackageUtils.DEFAULT_INSTALL_TYPES);

    private final IPackageInstallerSvc installer;
    private final IHapiPackageCacheManager packageCache;

    ConformancePackageInstaller(IPackageInstallerSvc installer, IHapiPackageCacheManager packageCache) {
        this.installer = installer;
        this.packageCache = packageCache;
    }

    /** Answers whether anything was installed. */
    boolean install(ConformancePackage conformancePackage) {
        String id = conformancePackage.id();
        String version = conformancePackage.version();
        IHapiPackageCacheManager.PackageContents stored = packageCache.loadPackageContents(id, version);
        if (stored != null) {
            if (ConformancePackage.fingerprint(stored.getBytes()).equals(conformancePackage.fingerprint())) {
                log.info("Conformance package {}#{} is already installed", id, version);
                return false;
            }
            log.info("Conformance package {}#{} changed since it was installed; replacing it", id, version);
            packageCache.uninstallPackage(id, version);
        }

        long start = System.nanoTime();
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(id)
                .setVersion(version)
                .setPackageContents(conformancePackage.bytes())
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                // Offline: the base FHIR definitions ship with HAPI; nothing is fetched.
                .setFetchDependencies(false)
                .addDependencyExclude("hl7.fhir.r4.core");
        // A changed package must update the resources it installed before.
        spec.setReloadExisting(true);
        spec.setInstallResourceTypes(INSTALL_TYPES);
        PackageInstallOutcomeJson outcome = installer.install(spec);
        log.info("Installed conformance package {}#{} in {} ms: {}", id, version,
                (System.nanoTime() - start) / 1_000_000, outcome.getResourcesInstalled());
        return true;
    }

    private static List<String> withBasic(List<String> types) {
        List<String> all = new ArrayList<>(types);
        all.add("Basic");
        return List.copyOf(all);
    }
}
