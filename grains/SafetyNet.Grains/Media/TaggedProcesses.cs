using System.Diagnostics;
using System.Text;

namespace SafetyNet.Grains.Media;

/// <summary>
/// Every ffmpeg this node starts carries "-metadata comment=safetynet-{role}:{nodeTag}:{cameraId}" in its command line,
/// which /proc shows to anyone; that is how a restarted node finds the orphans of a crashed run, and how tests count relays.
/// </summary>
public static class TaggedProcesses
{
    private const string ArgumentPrefix = "comment=";
    private const string TagPrefix = "safetynet-";

    public static string RelayTag(string nodeTag, string cameraId) => $"{TagPrefix}relay:{nodeTag}:{cameraId}";

    public static string SnapshotTag(string nodeTag, string cameraId) => $"{TagPrefix}snapshot:{nodeTag}:{cameraId}";

    internal static string MetadataArgument(string tag) => $"-metadata {ArgumentPrefix}{tag}";

    /// <summary>Ids of the live processes carrying exactly this tag.</summary>
    public static IReadOnlyList<int> Find(string tag) => FindWhere(argument => argument == ArgumentPrefix + tag);

    /// <summary>Ids of the live processes started by the node with this tag, whatever their role or camera.</summary>
    public static IReadOnlyList<int> FindForNode(string nodeTag) =>
        FindWhere(argument => argument.StartsWith(ArgumentPrefix + TagPrefix, StringComparison.Ordinal) &&
                              argument.Split(':') is [_, var node, _] && node == nodeTag);

    /// <summary>Kills them outright: an orphan has nobody left to flush its output for.</summary>
    internal static int KillAll(IEnumerable<int> processIds)
    {
        var killed = 0;
        foreach (var id in processIds)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
                killed++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // It exited between the scan and the kill.
            }
        }
        return killed;
    }

    private static List<int> FindWhere(Func<string, bool> argumentMatches)
    {
        var found = new List<int>();
        if (!Directory.Exists("/proc")) return found;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var id) || id == Environment.ProcessId) continue;
            string commandLine;
            try
            {
                commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(entry, "cmdline")));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (commandLine.Split('\0').Any(argumentMatches)) found.Add(id);
        }
        return found;
    }
}
