using Microsoft.Extensions.Configuration;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// A node reads its configuration files once: settings are validated at start-up and never re-read, and a watcher on them
/// would also watch the data directory beneath the content root, where every audit commit and video segment is a change.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ConfigurationFilesTests(NodeFixture fixture)
{
    [Fact]
    public void The_node_reads_its_configuration_files_once_and_does_not_watch_them()
    {
        var configuration = (IConfigurationRoot)fixture.Node.App.Configuration;
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToArray();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched for changes"));
    }
}
