using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Hosting;

/// <summary>The node sizes the shared buffer pool for its dashboards, unless the operator has sized it.</summary>
public sealed class SharedBufferPoolTests
{
    [Fact]
    public void The_pool_is_sized_for_the_dashboards_unless_the_operator_sized_it()
    {
        var original = Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable);
        try
        {
            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable, null);
            SharedBufferPool.Size();
            Assert.Equal("1024", Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable));

            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable, "64");
            SharedBufferPool.Size();
            Assert.Equal("64", Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable, original);
        }
    }
}
