package io.jobpilot.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers a reader and a host rely on: the library (jobpilot-core) knows nothing of the command line, serve or the
 * simulators, and the simulators nothing of jobpilot. No two packages depend on each other, even through others, so
 * each can be read, tested and changed on top of the ones below it. From the bottom: config; run (the run model, with
 * the interfaces it asks of the packages above: RunLedger, RunHolders, RemoteCall, NotifyUrlCheck); http; notify;
 * ledger (it stores runs and notifications); the vendors (over paging); callback (IICS's callbacks); runtime;
 * component; then the command line and serve.
 */
class LayeringTest {
    private static final String[] LIBRARY = {"io.jobpilot.config..", "io.jobpilot.run..", "io.jobpilot.http..", "io.jobpilot.ledger..",
            "io.jobpilot.notify..", "io.jobpilot.callback..", "io.jobpilot.paging..", "io.jobpilot.iics..", "io.jobpilot.exago..",
            "io.jobpilot.infolink..", "io.jobpilot.oneintegrate..", "io.jobpilot.runtime..", "io.jobpilot.component..", "io.jobpilot.schedule.."};
    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jobpilot", "db.migration");

    @Test
    void theLibraryUsesNeitherTheCommandLineNorServeNorTheSimulators() {
        noClasses().that().resideInAnyPackage(LIBRARY).should().dependOnClassesThat()
                .resideInAnyPackage("io.jobpilot.cli..", "io.jobpilot.serve..", "io.jobpilot.app..", "io.jobpilot.bench..", "io.jobpilot.sandbox..")
                .check(CLASSES);
    }

    @Test
    void theSimulatorsStandAlone() {
        noClasses().that().resideInAPackage("io.jobpilot.sandbox..").should().dependOnClassesThat()
                .resideOutsideOfPackages("io.jobpilot.sandbox..", "java..", "javax..", "com.sun.net.httpserver..", "com.fasterxml.jackson..")
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.jobpilot.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
