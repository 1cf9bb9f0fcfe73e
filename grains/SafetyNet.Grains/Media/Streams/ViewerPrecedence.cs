namespace SafetyNet.Grains.Media.Streams;

/// <summary>
/// Who gives way to whom, both for a camera's last viewer slot and for a busy node's CPU to encode: a standing-access viewer
/// (no incident grant) yields to a viewer of higher priority, a lower number (an incident's priority, 1 highest). A viewer
/// under an incident's grant never yields.
/// </summary>
public static class ViewerPrecedence
{
    public static bool Yields(bool standing, int holderPriority, int requestPriority) => standing && holderPriority > requestPriority;
}
