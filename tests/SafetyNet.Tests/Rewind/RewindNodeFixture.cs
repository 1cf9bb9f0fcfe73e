using SafetyNet.Tests.Video;

namespace SafetyNet.Tests.Rewind;

/// <summary>The video node with a 20-second rewind window (the live window stays 6 × 1 s), so a test sees the window outgrow the live part quickly.</summary>
public sealed class RewindNodeFixture : VideoNodeFixture
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Media:RewindWindow"] = Window.ToString();
        // Two cameras of one district, each with two viewers: no capacity rule is what these tests look at.
        settings["Leases:UpstreamCapPerDistrict"] = "10";
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class RewindNodeCollection : ICollectionFixture<RewindNodeFixture>
{
    public const string Name = "rewind-node";
}
