using System.Net;
using System.Net.Sockets;

namespace SafetyNet.Bench.Hosting;

public static class FreePorts
{
    /// <summary>A loopback TCP port nobody listens on right now (asked of the OS, then released).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
