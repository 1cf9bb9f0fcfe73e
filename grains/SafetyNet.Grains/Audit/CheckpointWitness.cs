using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The copy of the checkpoints that lives outside the database: an append-only file of JSON lines (and optionally a
/// second one). A checkpoint is written and flushed to disk here before it is stored in the database, so the witness is
/// never behind the database, and verify believes it when the two disagree.
/// </summary>
public sealed class CheckpointWitness(IOptions<AuditCheckpointOptions> options, ILogger<CheckpointWitness> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IEnumerable<string> Paths =>
        new[] { options.Value.WitnessPath, options.Value.SecondWitnessPath }.Where(p => !string.IsNullOrWhiteSpace(p))!;

    /// <summary>Appends to the witness file and forces it to disk; the second witness is best effort (logged when it fails).</summary>
    public void Append(AuditCheckpoint checkpoint)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint, Json) + "\n");
        AppendTo(options.Value.WitnessPath, line);
        if (string.IsNullOrWhiteSpace(options.Value.SecondWitnessPath)) return;
        try { AppendTo(options.Value.SecondWitnessPath, line); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Writing {Checkpoint} to the second witness {Path} failed", checkpoint.Name, options.Value.SecondWitnessPath);
        }
    }

    /// <summary>Every checkpoint in every witness file, and what could not be read as one (a damaged witness is evidence too).</summary>
    public WitnessContent Read()
    {
        var checkpoints = new List<AuditCheckpoint>();
        var problems = new List<string>();
        foreach (var path in Paths)
        {
            if (!File.Exists(path)) continue;
            var number = 0;
            foreach (var line in CompleteLines(path))
            {
                number++;
                if (line.Length == 0) continue;
                AuditCheckpoint? checkpoint = null;
                try { checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(line, Json); }
                catch (JsonException) { }
                if (checkpoint is { Chain: not null, KeyId: not null, EntryHash: not null, PreviousHash: not null, Signature: not null })
                    checkpoints.Add(checkpoint);
                else
                    problems.Add($"Line {number} of the witness {path} is not a checkpoint: the witness was altered or damaged.");
            }
        }
        return new WitnessContent(checkpoints, problems);
    }

    /// <summary>The file's lines up to its last newline: a last line without one is still being appended (or was torn by a crash).</summary>
    private static string[] CompleteLines(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = reader.ReadToEnd();
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n');
    }

    private static void AppendTo(string path, byte[] line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(line);
        file.Flush(flushToDisk: true);
    }
}

public sealed record WitnessContent(IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyList<string> Problems);
