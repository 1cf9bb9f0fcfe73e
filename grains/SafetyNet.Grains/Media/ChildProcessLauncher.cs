using System.Collections.Concurrent;
using System.Diagnostics;

namespace SafetyNet.Grains.Media;

/// <summary>
/// Starts this node's ffmpeg processes so that none outlives the node, even one killed with SIGKILL: each runs under
/// util-linux <c>setpriv --pdeathsig KILL</c>, which has the kernel kill it the moment its parent goes. Linux means the parent
/// *thread*: the signal fires when the thread that forked the child exits, and .NET retires idle thread-pool threads, which
/// would kill healthy relays at random. So every process is started from one dedicated thread that lives exactly as long as
/// this launcher; disposing it (at node shutdown, after the relays were asked to stop) ends whatever is still running.
/// setpriv arms the signal and then becomes the program; a start completes only once it has, so the thread never leaves
/// before the signal is armed. The node dying inside that window (milliseconds) is what the start-up sweep is for.
/// </summary>
public sealed class ChildProcessLauncher : IDisposable
{
    private static readonly TimeSpan ArmingTimeout = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<(ProcessStartInfo Start, string Program, TaskCompletionSource<Process> Started)> _requests = new();
    private readonly string _setprivPath;

    public ChildProcessLauncher(string setprivPath)
    {
        _setprivPath = setprivPath;
        new Thread(StartRequestedProcesses) { IsBackground = true, Name = "child-process-launcher" }.Start();
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> (one command line, quoted as .NET parses it), with
    /// standard input and error redirected. The process is SIGKILLed if this node dies or the launcher is disposed.
    /// </summary>
    public Task<Process> StartAsync(string fileName, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(_setprivPath, $"--pdeathsig KILL -- \"{fileName}\" {arguments}")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((start, Path.GetFileName(fileName), started));
        }
        catch (InvalidOperationException) when (_requests.IsAddingCompleted)
        {
            throw new ObjectDisposedException(nameof(ChildProcessLauncher));
        }
        return started.Task;
    }

    /// <summary>Fails with a message naming the setting unless a process can be started under the parent-death signal here.</summary>
    public async Task VerifyAsync(string setting)
    {
        try
        {
            using var probe = await StartAsync("true", "", Environment.CurrentDirectory);
            await probe.WaitForExitAsync();
            if (probe.ExitCode == 0) return;
            throw new InvalidOperationException($"exit code {probe.ExitCode}");
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            throw new InvalidOperationException(
                $"{setting} is '{_setprivPath}', which could not start a process with a parent-death signal ({e.Message}). Every ffmpeg runs " +
                "under util-linux setpriv so that no relay outlives its node; install util-linux or point the setting at setpriv.", e);
        }
    }

    public void Dispose() => _requests.CompleteAdding();

    /// <summary>Whether the process has become <paramref name="program"/> (its argv[0]), i.e. setpriv has armed the signal and executed it.</summary>
    private static bool Runs(int processId, string program)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{processId}/cmdline");
            var first = commandLine.IndexOf('\0');
            return Path.GetFileName(first < 0 ? commandLine : commandLine[..first]) == program;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void StartRequestedProcesses()
    {
        foreach (var (start, program, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(start) ?? throw new InvalidOperationException($"'{start.FileName}' did not start.");
                SpinWait.SpinUntil(() => process.HasExited || Runs(process.Id, program), ArmingTimeout);
                started.SetResult(process);
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
