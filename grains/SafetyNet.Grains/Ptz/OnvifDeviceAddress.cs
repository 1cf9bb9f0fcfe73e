namespace SafetyNet.Grains.Ptz;

/// <summary>
/// A camera's stored ONVIF URL split into where to send requests and the credentials for the WS-Security header, which go
/// nowhere else. <see cref="ToString"/> shows the endpoint only, so an address that reaches a log or message carries no secret.
/// </summary>
public sealed record OnvifDeviceAddress(Uri Endpoint, string UserName, string Password)
{
    public static OnvifDeviceAddress Parse(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':');
        var user = colon < 0 ? userInfo : userInfo[..colon];
        var password = colon < 0 ? "" : userInfo[(colon + 1)..];
        var endpoint = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        return new OnvifDeviceAddress(endpoint, Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    /// <summary>
    /// A service address the device announced (its XAddr), kept to its path on the stored host and port: a device cannot send
    /// the node elsewhere, and devices behind NAT that announce their inside address still work.
    /// </summary>
    public Uri Service(string announced) =>
        Uri.TryCreate(announced, UriKind.Absolute, out var uri) ? new Uri(Endpoint, uri.PathAndQuery) : Endpoint;

    public override string ToString() => Endpoint.GetLeftPart(UriPartial.Path);
}
