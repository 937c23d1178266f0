package dev.licensor.server.backup.admin;

import dev.licensor.server.backup.BackupFile;
import dev.licensor.server.backup.Backups;
import dev.licensor.server.backup.RestoreSummary;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Flash;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Backups (ADMIN only): list, download, delete, back up now, restore by upload with confirmation. */
@PanelController
@RequestMapping("/admin/backups")
class BackupController {
    static final String VIEW = "admin/backups";

    private final Backups backups;

    BackupController(Backups backups) {
        this.backups = backups;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        PageResponse<BackupFile> list = backups.list(Pager.paging(page));
        model.addAttribute("backups", list.items());
        model.addAttribute("pager", Pager.of(list));
        model.addAttribute("directory", backups.directory().toAbsolutePath());
        model.addAttribute("confirmation", Backups.CONFIRMATION);
        return VIEW;
    }

    @GetMapping("/{name}")
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

    @PostMapping
    String create(RedirectAttributes redirect) {
        BackupFile file = backups.create();
        Flash.success(redirect, "panel.backups.created-flash", file.name());
        return "redirect:/admin/backups";
    }

    @PostMapping("/{name}/delete")
    String delete(@PathVariable String name, RedirectAttributes redirect) {
        backups.delete(name);
        Flash.success(redirect, "panel.backups.deleted", name);
        return "redirect:/admin/backups";
    }

    @PostMapping("/restore")
    String restore(
            @RequestParam(required = false) @Nullable MultipartFile file,
            @RequestParam(required = false) @Nullable String confirm,
            RedirectAttributes redirect)
            throws IOException {
        if (file == null || file.isEmpty()) {
            Flash.error(redirect, "panel.backups.no-file");
            return "redirect:/admin/backups";
        }
        if (confirm == null || !Backups.CONFIRMATION.equals(confirm.strip())) {
            Flash.error(redirect, "panel.backups.confirm-missing", Backups.CONFIRMATION);
            return "redirect:/admin/backups";
        }
        Path upload = Files.createTempFile("licensor-restore-", ".zip");
        try {
            file.transferTo(upload);
            String original = file.getOriginalFilename();
            String name = original == null ? "upload.zip" : original.replaceAll("[^A-Za-z0-9._-]", "_");
            RestoreSummary summary = backups.restoreReplacing(upload, name, confirm);
            long rows =
                    summary.rows().values().stream().mapToLong(Long::longValue).sum();
            Flash.success(redirect, "panel.backups.restored", summary.backupCreatedAt(), rows, summary.safetyBackup());
        } finally {
            Files.deleteIfExists(upload);
        }
        return "redirect:/admin/backups";
    }
}
