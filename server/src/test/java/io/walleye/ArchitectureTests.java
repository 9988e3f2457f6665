package io.walleye;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Domain packages are plain Java: rules there can be read and unit-tested without any framework. */
@AnalyzeClasses(packages = "io.walleye", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule domainIsFreeOfFrameworks = noClasses().that()
		.resideInAPackage("io.walleye..domain..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "jakarta.servlet..",
				"jakarta.persistence..", "io.walleye..web..", "io.walleye..persistence..", "tools.jackson..")
		.allowEmptyShould(true);
}
