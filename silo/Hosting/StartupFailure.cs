using System.Data.Common;
using System.Net.Sockets;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Silo.Hosting;

/// <summary>Turns the common ways a node fails to start into one sentence an operator can act on.</summary>
public static class StartupFailure
{
    public static string? Explain(Exception exception)
    {
        foreach (var e in exception.AndInner())
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                case IOException when e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"a port it needs is already in use ({e.Message}). Check --urls, Cluster:SiloPort and Cluster:GatewayPort.";
                case DbException db:
                    return $"the database is unreachable or refused the connection ({db.Message}). Check ConnectionStrings:SafetyNet.";
                case SocketException socket:
                    return $"a network error occurred ({socket.Message}).";
            }
        }
        return null;
    }
}
