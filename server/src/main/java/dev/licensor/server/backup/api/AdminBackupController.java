package dev.licensor.server.backup.api;

import dev.licensor.server.backup.BackupFile;
import dev.licensor.server.backup.Backups;
import dev.licensor.server.backup.RestoreSummary;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Admin API: backups (ADMIN only, reading included: a backup holds every secret hash; writes audited). */
@RestController
@RequestMapping("/api/admin/backups")
@Tag(name = "Admin: backups", description = "Make, list, download, delete and restore backups")
class AdminBackupController {
    private final Backups backups;

    AdminBackupController(Backups backups) {
        this.backups = backups;
    }

    @GetMapping
    @Operation(summary = "Backups of this instance's backup directory, newest first")
    PageResponse<BackupFile> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return backups.list(new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Make a backup now")
    BackupFile create() {
        return backups.create();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Download a backup (application/zip)")
    ResponseEntity<Resource> download(@PathVariable String name) throws IOException {
        Path file = backups.file(name);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .contentLength(Files.size(file))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                .body(new FileSystemResource(file));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a backup")
    void delete(@PathVariable String name) {
        backups.delete(name);
    }

    @PostMapping(path = "/restore", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Replace all data with a backup's",
            description = "multipart: file (the backup), confirm=RESTORE. A backup of the current data is made first.")
    RestoreSummary restore(
            @RequestParam(required = false) @Nullable MultipartFile file,
            @RequestParam(required = false) @Nullable String confirm)
            throws IOException {
        if (file == null || file.isEmpty()) {
            throw JsonFields.invalid("file", "a backup file is required");
        }
        Path upload = Files.createTempFile("licensor-restore-", ".zip");
        try {
            file.transferTo(upload);
            return backups.restoreReplacing(upload, originalName(file), confirm == null ? "" : confirm);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private static String originalName(MultipartFile file) {
        String name = file.getOriginalFilename();
        // Only for the audit log: the name as the client sent it, reduced to harmless characters.
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "upload.zip" : safe.substring(0, Math.min(safe.length(), 120));
    }
}
