package dev.licensor.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
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
}
