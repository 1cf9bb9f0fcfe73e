using System.Globalization;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// Sizes .NET's shared buffer pool for a node's thousand dashboard connections. SignalR writes each connection's messages
/// into a pipe whose 4 KB segments come from <c>ArrayPool&lt;byte&gt;.Shared</c>, and a connection holds its segment until
/// its WebSocket has sent it. The pool keeps 32 arrays of a size per core: when an incident reached 1,000 dashboards at
/// once, most segments were new arrays, a quarter of all the node allocated in the fan-out bench. The pool holds only
/// arrays that were in use together and returned, and gives them back to the collector when memory is short.
/// </summary>
/// <remarks>The pool reads its size from the environment once, when first used: <see cref="Size"/> runs first in Main.</remarks>
public static class SharedBufferPool
{
    public const string ArraysPerCoreVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const int ArraysPerCore = 1024;

    /// <summary>Sets the pool's size for this process, unless the operator has set it.</summary>
    public static void Size()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ArraysPerCoreVariable)))
            Environment.SetEnvironmentVariable(ArraysPerCoreVariable, ArraysPerCore.ToString(CultureInfo.InvariantCulture));
    }
}
