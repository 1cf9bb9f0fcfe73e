namespace SafetyNet.Grains.Audit.Archive;

/// <summary>One row of audit_archive: the database's record that rows <see cref="FirstSeq"/>–<see cref="LastSeq"/> went to <see cref="File"/>.</summary>
public sealed record ArchivedRange(long FirstSeq, long LastSeq, string Month, string File, string LastHash, string Sha256);
