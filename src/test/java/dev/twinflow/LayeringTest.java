package dev.twinflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering README's "How it works" states, checked on the compiled classes: settings, then system,
 * then the engines and the shared readings type, then the features, then the dashboard on top. A class
 * may use what lies below it; features use each other only along the few edges named here.
 */
class LayeringTest {

    static final Set<String> INFRASTRUCTURE = Set.of("settings", "system", "embedded", "readings");
    static final Set<String> FEATURES =
            Set.of("generate", "receive", "pipeline", "telemetry", "terminals", "machine", "export", "sinks");

    /** What each package may use besides itself. */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("settings", Set.of()),
            Map.entry("system", Set.of("settings")),
            Map.entry("embedded", Set.of("settings", "system")),
            Map.entry("readings", Set.of("system")),
            Map.entry("generate", INFRASTRUCTURE),
            Map.entry("receive", INFRASTRUCTURE),
            // the pipeline's scenarios make seed 000's records; its audit reads the message log at start
            Map.entry("pipeline", union(INFRASTRUCTURE, Set.of("generate", "receive"))),
            Map.entry("telemetry", INFRASTRUCTURE),
            Map.entry("terminals", INFRASTRUCTURE),
            Map.entry("machine", INFRASTRUCTURE),
            // the scheduled export writes out seed 000's data set and message log
            Map.entry("export", union(INFRASTRUCTURE, Set.of("generate", "receive"))),
            Map.entry("sinks", INFRASTRUCTURE),
            Map.entry("dashboard", union(INFRASTRUCTURE, FEATURES)));

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.twinflow");
    }

    @Test
    void everyPackageHasADeclaredPlaceInTheLayers() {
        Set<String> packages = classes.stream()
                .map(LayeringTest::topPackage)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(packages).isNotEmpty();
        assertThat(MAY_USE.keySet()).containsAll(packages);
    }

    @Test
    void everyPackageUsesOnlyWhatLiesBelowIt() {
        MAY_USE.forEach((pkg, allowed) -> {
            String[] forbidden = MAY_USE.keySet().stream()
                    .filter(other -> !other.equals(pkg) && !allowed.contains(other))
                    .map(other -> "dev.twinflow." + other + "..")
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage("dev.twinflow." + pkg + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden)
                    .allowEmptyShould(true)
                    .because(pkg + " may use only " + allowed)
                    .check(classes);
        });
    }

    @Test
    void noPackagesFormACycle() {
        slices().matching("dev.twinflow.(*)..").should().beFreeOfCycles().check(classes);
    }

    static String topPackage(JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith("dev.twinflow.")) {
            return "";
        }
        String rest = name.substring("dev.twinflow.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
