using System.Net;
using System.Net.Sockets;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the servers a test starts, taken below the kernel's ephemeral range. A port from that range can be
/// given to any outgoing connection (a node's PostgreSQL pool, a browser, another test) between the moment it is chosen
/// and the moment a node binds it, and the node then fails to start. No port is handed out twice in one test run.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10_000;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static readonly HashSet<int> HandedOut = [];

    public static int Next() => Block(1) + 1;

    /// <summary>A base such that base+1 .. base+count are all free now (for scripts that number their ports from a base).</summary>
    public static int Block(int count)
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var candidate = Random.Shared.Next(Lowest, EphemeralStart - count);
                var ports = Enumerable.Range(candidate + 1, count).ToList();
                if (!ports.All(port => !HandedOut.Contains(port) && IsFree(port))) continue;
                HandedOut.UnionWith(ports);
                return candidate;
            }
        }
        throw new InvalidOperationException($"No block of {count} free loopback ports found between {Lowest} and {EphemeralStart}.");
    }

    private static int ReadEphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var start = File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var first) ? first : 32_768;
        if (start <= Lowest + 1_000)
            throw new InvalidOperationException($"The kernel's ephemeral port range starts at {start}; the tests need free ports below it, from {Lowest}.");
        return start;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
