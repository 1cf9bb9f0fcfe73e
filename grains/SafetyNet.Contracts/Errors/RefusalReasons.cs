namespace SafetyNet.Contracts.Errors;

/// <summary>Machine-readable reasons of "not now" refusals (503) that a console words for its operator while it asks again.</summary>
public static class RefusalReasons
{
    /// <summary>The node relaying the camera is too busy to start the encode it needs (<c>Media:NewEncodeCpuLimit</c>).</summary>
    public const string NodeBusyEncoding = "node-busy-encoding";

    /// <summary>The camera's district already carries as many camera streams as its uplink takes (<c>Leases:UpstreamCapPerDistrict</c>).</summary>
    public const string DistrictUplinkFull = "district-uplink-full";
}
