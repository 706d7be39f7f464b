package dev.kolibri.fs;

/** The kinds of file-tree entries an image layer can hold. Device nodes and fifos are never kept. */
public enum EntryType { DIRECTORY, FILE, SYMLINK, HARDLINK }
