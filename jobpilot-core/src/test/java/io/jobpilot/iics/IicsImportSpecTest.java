package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IicsImportSpecTest {
    private final IicsImportSpec spec = new IicsImportSpec();
    @TempDir
    Path dir;

    @Test
    void thePackageMustBeAZipArchive() throws Exception {
        Path zip = Files.write(dir.resolve("p.zip"), new byte[] {'P', 'K', 3, 4, 20, 0});
        Path text = Files.writeString(dir.resolve("p.txt"), "hello");

        spec.validate(Map.of("package", zip.toString(), "conflict", "overwrite", "objects", "a, b"));
        assertThatThrownBy(() -> spec.validate(Map.of("package", text.toString()))).isInstanceOf(UsageException.class)
                .hasMessageContaining("is not a zip archive");
        assertThatThrownBy(() -> spec.validate(Map.of("package", dir.resolve("none.zip").toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("no such file");
    }

    @Test
    void objectIdsAreTrimmedAndBlanksDropped() {
        assertThat(IicsImportSpec.objectIds(" a, ,b ")).containsExactly("a", "b");
    }
}
