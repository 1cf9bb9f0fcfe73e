namespace SafetyNet.Grains.Media.Uplink;

/// <summary>The node will not connect to the camera now: its stream policy refuses the address, or the name does not resolve.</summary>
public sealed class UplinkRefusedException(UplinkCut cut) : Exception(cut.Reason)
{
    public UplinkCut Cut { get; } = cut;
}
