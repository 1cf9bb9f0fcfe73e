namespace SafetyNet.Tests.Security;

/// <summary>The ids a walk over the API fills path and query parameters with.</summary>
public sealed record ApiIds(string Camera, string District, string Agency, string Incident, string Session, string Lease, string Layer = "hydrants");

/// <summary>A well-formed body for each operation that takes one: the starting point the fuzzer mutates and the authorization walk sends.</summary>
public static class SampleRequests
{
    public static (string ContentType, string Body)? BodyFor(ApiOperation operation, ApiIds ids, string unique) => operation.Key switch
    {
        "POST /api/v1/auth/token" => Json($$"""{"agencyId":"{{ids.Agency}}","operatorId":"walk-{{unique}}","role":"operator"}"""),
        "POST /api/v1/cameras/{id}/evidence" => Json($$"""{"kind":"clip","seconds":5,"incidentId":"{{ids.Incident}}","purpose":"emergency-response","justification":"security walk"}"""),
        "POST /api/v1/evidence/verify" => ("application/zip", "PK\u0005\u0006" + new string('\0', 18)),
        "POST /api/v1/cameras/{id}/leases" => Json($$"""{"purpose":"emergency-response","incidentId":"{{ids.Incident}}"}"""),
        "POST /api/v1/cameras/{id}/ptz/move" => Json("""{"pan":0.5,"tilt":-0.25,"zoom":0}"""),
        "POST /api/v1/cameras/{id}/ptz/preset" => Json("""{"token":"home"}"""),
        "PUT /api/v1/districts/{code}/sharing-policy" => Json("""{"police-112-center":{"traffic":"during-incident"}}"""),
        "PATCH /api/v1/districts/{code}/sharing-policy" => Json("""{"police-112-center":{"traffic":"during-incident"}}"""),
        "PUT /api/v1/districts/{code}/recorded-video-policy" => Json("""{"agencyKinds":["police-112-center"]}"""),
        "POST /api/v1/leases/{id}/rewind" => Json("""{"secondsBack":1}"""),
        "PATCH /api/v1/cameras/{id}" => Json("""{"name":"Renamed by a walk"}"""),
        "PUT /api/v1/cameras/{id}/masks" => Json("""{"polygons":[{"points":[{"x":0.6,"y":0.2},{"x":0.9,"y":0.2},{"x":0.9,"y":0.5}]}]}"""),
        "PUT /api/v1/agencies/{id}" => Json($$"""{"name":"Walk unit {{unique}}","kind":"police-patrol","cityWide":false,"districts":["{{ids.District}}"]}"""),
        "POST /api/v1/incidents" => Json($$"""{"type":"112-dispatch","latitude":37.5663,"longitude":126.9779,"priority":2,"externalReference":"WALK-{{unique}}","justification":"security walk"}"""),
        "POST /api/v1/incidents/{id}/location" => Json("""{"latitude":37.5670,"longitude":126.9785}"""),
        "POST /api/v1/incidents/{id}/agencies" => Json("""{"priority":1}"""),
        "POST /api/v1/incidents/{id}/close" => Json("""{"reason":"resolved"}"""),
        "POST /api/v1/incidents/{id}/confirm" => Json("""{"note":"confirmed by the walk"}"""),
        "POST /api/v1/audit/flags/{id}/acknowledge" => Json("""{"note":"acknowledged by the walk"}"""),
        "POST /api/v1/incidents/{id}/trail" => Json("""{"latitude":37.5668,"longitude":126.9782,"accuracyMeters":15}"""),
        "POST /api/v1/incidents/cap" => ("application/xml", CapAlert(unique)),
        "POST /api/v1/cameras/import" => ("text/csv", $"id,lat,lon,purpose,stream_url\nwalk-{unique},37.5500,127.1450,traffic,rtsp://10.1.2.3/stream\n"),
        "POST /api/v1/context/{layer}/import" => Json("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[126.978,37.566]},"properties":{"id":"h-1","name":"Hydrant 1","type":"underground","diameterMm":65}}]}"""),
        _ when operation.BodyTypes.Contains("application/json") => Json("{}"),
        _ when operation.Method is "POST" or "PUT" or "PATCH" => Json("{}"),
        _ => null,
    };

    public static string PathFor(ApiOperation operation, ApiIds ids) =>
        operation.InPath.Aggregate(operation.Path, (path, p) => path.Replace($"{{{p.Name}}}", Uri.EscapeDataString(ValueFor(operation, p, ids))));

    public static string QueryFor(ApiOperation operation, ApiIds ids) => operation.Key switch
    {
        "GET /api/v1/cameras/nearby" => "?lat=37.5663&lon=126.9779&radius=300&limit=5",
        "GET /api/v1/context" => "?lat=37.5663&lon=126.9779&radius=300",
        "GET /api/v1/cameras" => $"?district={ids.District}&pageSize=5",
        "GET /api/v1/cameras/{id}/access" or "GET /api/v1/cameras/{id}/snapshot" => $"?purpose=emergency-response&incident={ids.Incident}",
        "GET /api/v1/audit" => "?pageSize=5",
        "GET /api/v1/audit/reviews/{code}/{month}" => "?format=json&lang=en",
        "GET /api/v1/audit/flags" => "?status=open&limit=5",
        "GET /api/v1/audit/export" => $"?format=csv&district={ids.District}&from=2026-01-01T00:00:00Z",
        "GET /media/{cameraId}/{file}" => "?token=not-a-media-token",
        "GET /media/{cameraId}/live" => "?token=not-a-media-token",
        _ => "",
    };

    private static string ValueFor(ApiOperation operation, ApiParameter parameter, ApiIds ids) => (operation.Path, parameter.Name) switch
    {
        (_, "code") => ids.District,
        (_, "cameraId") => ids.Camera,
        (_, "file") => "index.m3u8",
        (_, "name") => "clip.mp4",
        (_, "layer") => ids.Layer,
        (_, "month") => "2026-01",
        (var p, "id") when p.StartsWith("/api/v1/cameras") => ids.Camera,
        (var p, "id") when p.StartsWith("/api/v1/incidents") => ids.Incident,
        (var p, "id") when p.StartsWith("/api/v1/sessions") => ids.Session,
        (var p, "id") when p.StartsWith("/api/v1/leases") => ids.Lease,
        (var p, "id") when p.StartsWith("/api/v1/agencies") => ids.Agency,
        (_, _) when parameter.Type == "integer" => "1",
        _ => "x",
    };

    private static (string, string) Json(string body) => ("application/json", body);

    private static string CapAlert(string identifier) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>walk-{identifier}</identifier><sender>safety@seoul.go.kr</sender><sent>2026-11-25T03:00:00+09:00</sent>
          <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
          <info><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
            <area><areaDesc>Sillim-dong underpass</areaDesc><circle>37.4842,126.9297 0.3</circle></area></info>
        </alert>
        """;
}
