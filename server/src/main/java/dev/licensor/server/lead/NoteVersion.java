package dev.licensor.server.lead;

import java.time.Instant;

/** One version of a note, as its author left it; versions count from 1. */
public record NoteVersion(long noteId, int version, String text, String author, Instant createdAt) {}
