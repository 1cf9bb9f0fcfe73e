using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace SafetyNet.Grains.Ptz;

/// <summary>
/// SOAP 1.2 over HTTP as ONVIF uses it: one request element in the body, a WS-Security UsernameToken with a PasswordDigest
/// (Base64(SHA1(nonce + created + password))) in the header, and the answer's body element back, or its Fault as an
/// <see cref="OnvifException"/>.
/// </summary>
public static class OnvifSoap
{
    public static readonly XNamespace Envelope = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static readonly XNamespace Wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public static readonly XNamespace Tt = "http://www.onvif.org/ver10/schema";
    public static readonly XNamespace Tds = "http://www.onvif.org/ver10/device/wsdl";
    public static readonly XNamespace Trt = "http://www.onvif.org/ver10/media/wsdl";
    public static readonly XNamespace Tptz = "http://www.onvif.org/ver20/ptz/wsdl";

    private const string DigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    private const string Base64Encoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
    private const int MaxAnswerBytes = 1 << 20;

    public static string PasswordDigest(byte[] nonce, string created, string password) =>
        Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(created + password)]));

    public static XDocument Request(XElement body, string userName, string password, DateTimeOffset now)
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        var created = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return new XDocument(new XElement(Envelope + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", Envelope), new XAttribute(XNamespace.Xmlns + "tt", Tt),
            new XElement(Envelope + "Header",
                new XElement(Wsse + "Security", new XAttribute(Envelope + "mustUnderstand", "true"),
                    new XElement(Wsse + "UsernameToken",
                        new XElement(Wsse + "Username", userName),
                        new XElement(Wsse + "Password", new XAttribute("Type", DigestType), PasswordDigest(nonce, created, password)),
                        new XElement(Wsse + "Nonce", new XAttribute("EncodingType", Base64Encoding), Convert.ToBase64String(nonce)),
                        new XElement(Wsu + "Created", created)))),
            new XElement(Envelope + "Body", body)));
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="service"/> and returns the answer's body element.</summary>
    public static async Task<XElement> CallAsync(HttpClient http, Uri service, OnvifDeviceAddress device, XElement body, DateTimeOffset now,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var operation = body.Name.LocalName;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var xml = Request(body, device.UserName, device.Password, now).ToString(SaveOptions.DisableFormatting);
        using var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/soap+xml; charset=utf-8; action=\"{body.Name.NamespaceName}/{operation}\"");
        try
        {
            using var response = await http.PostAsync(service, content, deadline.Token);
            if (response.Content.Headers.ContentLength > MaxAnswerBytes) throw new OnvifException($"ONVIF {operation}: the camera's answer is too large.");
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            XDocument document;
            try
            {
                document = XDocument.Parse(Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, MaxAnswerBytes))));
            }
            catch (XmlException)
            {
                throw new OnvifException($"ONVIF {operation}: the camera answered HTTP {(int)response.StatusCode} without a SOAP envelope.");
            }
            var answerBody = document.Root?.Element(Envelope + "Body")?.Elements().FirstOrDefault()
                ?? throw new OnvifException($"ONVIF {operation}: the camera answered HTTP {(int)response.StatusCode} with an empty SOAP body.");
            if (answerBody.Name == Envelope + "Fault") throw Fault(operation, answerBody);
            if (!response.IsSuccessStatusCode) throw new OnvifException($"ONVIF {operation}: the camera answered HTTP {(int)response.StatusCode}.");
            return answerBody;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OnvifException($"ONVIF {operation}: the camera did not answer within {timeout.TotalSeconds:0.#} s.", inner: e);
        }
        catch (HttpRequestException e)
        {
            // The inner exception may be the connect-time policy refusal, which says why without naming the URL.
            var why = e.InnerException as OnvifException ?? e.InnerException?.InnerException as OnvifException;
            throw new OnvifException($"ONVIF {operation}: {why?.Message ?? $"the camera cannot be reached ({e.HttpRequestError})."}", inner: why) { Reason = why?.Reason };
        }
    }

    private static OnvifException Fault(string operation, XElement fault)
    {
        var code = fault.Element(Envelope + "Code");
        var subcode = code?.Element(Envelope + "Subcode")?.Element(Envelope + "Value")?.Value.Trim();
        var reason = fault.Element(Envelope + "Reason")?.Elements(Envelope + "Text").FirstOrDefault()?.Value.Trim();
        var text = subcode?.EndsWith("NotAuthorized", StringComparison.Ordinal) == true
            ? "the camera refused the node's ONVIF credentials; its district must correct the camera's ONVIF URL"
            : $"the camera refused the request ({subcode ?? code?.Element(Envelope + "Value")?.Value.Trim() ?? "fault"}{(reason is null ? "" : $": {Truncate(reason)}")})";
        return new OnvifException($"ONVIF {operation}: {text}.", subcode);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
