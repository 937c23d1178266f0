package dev.licensor.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** The layout rules of STYLE.md, checked: features own their data; adapters go through services. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.licensor.server");

    @Test
    void repositoriesArePackagePrivate() {
        classes()
                .that()
                .areAnnotatedWith(Repository.class)
                .should()
                .notHaveModifier(JavaModifier.PUBLIC)
                .check(CLASSES);
    }

    @Test
    void controllersLiveInAdapterPackages() {
        classes()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .resideInAnyPackage("..api..", "..admin..")
                .check(CLASSES);
    }

    @Test
    void controllersDoNotTouchTheDatabase() {
        noClasses()
                .that()
                .resideInAnyPackage("..api..", "..admin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void theProtocolDoesNotDependOnTheServer() {
        noClasses()
                .that()
                .resideInAPackage("dev.licensor.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.licensor.server..")
                .check(new ClassFileImporter().importPackages("dev.licensor.protocol"));
    }

    /**
     * SPEC §6: every background job runs on one instance at a time. The jobs below act on their own
     * instance's memory or connections, or take their own database lease, and are the only ones
     * allowed without {@code @SchedulerLock}.
     */
    private static final Map<String, String> PER_INSTANCE_JOBS = Map.of(
            "dev.licensor.server.audit.ValidationLog.flush", "writes this instance's queued log rows",
            "dev.licensor.server.abuse.RateLimiter.evictFullBuckets", "drops this instance's in-memory buckets",
            "dev.licensor.server.support.RedisLink.probe", "checks this instance's Redis connection",
            "dev.licensor.server.ops.DatabaseMetrics.check", "checks this instance's database connection",
            "dev.licensor.server.abuse.AnomalyScan.run", "takes its own lease in trust_locks");

    @Test
    void everySharedBackgroundJobRunsUnderALock() {
        List<String> unlocked = new ArrayList<>();
        for (JavaClass type : CLASSES) {
            for (JavaMethod method : type.getMethods()) {
                String name = type.getName() + "." + method.getName();
                if (method.isAnnotatedWith(Scheduled.class)
                        && !method.isAnnotatedWith(SchedulerLock.class)
                        && !PER_INSTANCE_JOBS.containsKey(name)) {
                    unlocked.add(name);
                }
            }
        }
        assertThat(unlocked).as("@Scheduled jobs without @SchedulerLock").isEmpty();
    }
}
