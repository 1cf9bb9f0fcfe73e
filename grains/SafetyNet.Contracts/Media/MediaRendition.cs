namespace SafetyNet.Contracts.Media;

/// <summary>Which of a camera relay's outputs a lease may fetch: the stream as the camera sends it, or with its privacy masks filled.</summary>
public enum MediaRendition
{
    Original,
    Masked,
}
