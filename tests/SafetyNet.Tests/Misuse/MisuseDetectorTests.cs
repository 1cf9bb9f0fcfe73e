using System.ComponentModel.DataAnnotations;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Grains.Misuse;

namespace SafetyNet.Tests.Misuse;

/// <summary>The misuse rules on crafted ledger entries; time is the entries' own and the instant given to Tick.</summary>
public sealed class MisuseDetectorTests
{
    private sealed class Places : IMisusePlaces
    {
        public Dictionary<string, GeoPoint> Cameras { get; } = new();
        public Dictionary<string, GeoPoint> Incidents { get; } = new();
        public GeoPoint? Camera(string cameraId) => Cameras.TryGetValue(cameraId, out var p) ? p : null;
        public GeoPoint? Incident(string incidentId) => Incidents.TryGetValue(incidentId, out var p) ? p : null;
    }

    // 14:00 in Seoul, an ordinary hour; 03:00 in Seoul is 18:00 UTC the day before.
    private static readonly DateTimeOffset Afternoon = new(2026, 3, 10, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ThreeAm = new(2026, 3, 9, 18, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint CityHall = new(37.5663, 126.9779);

    private readonly Places _places = new();
    private readonly MisuseOptions _options = new();
    private long _seq;

    private MisuseDetector Detector() => new(_options, _places);

    private AuditRecord Record(AuditEntry entry) => new(++_seq, entry, "", "");

    private AuditRecord View(DateTimeOffset at, string camera, string? incident = null, string actor = "police-jung/op-1", string district = "11020", string kind = AuditKinds.View) =>
        Record(new AuditEntry(at, kind, "allow", null, camera, "police-jung", "s-1", incident, actor, DistrictCode: district));

    private List<MisuseFlag> Views(MisuseDetector detector, int count, DateTimeOffset start, TimeSpan step, Func<int, string> camera, string? incident = null, string district = "11020") =>
        Enumerable.Range(0, count).SelectMany(i => detector.Observe(View(start + step * i, camera(i), incident, district: district))).ToList();

    [Fact]
    public void Views_without_an_incident_at_unusual_hours_raise_one_flag_with_them_as_evidence()
    {
        var flags = Views(Detector(), 5, ThreeAm, TimeSpan.FromMinutes(1), i => $"cam-{i % 2}");

        var flag = Assert.Single(flags, f => f.Rule == MisuseRules.UnusualHours);
        Assert.Equal([1, 2, 3], flag.Evidence);
        Assert.Equal("police-jung/op-1", flag.Suspect);
        Assert.Equal("11020", flag.DistrictCode);
        Assert.Empty(Views(Detector(), 5, Afternoon, TimeSpan.FromMinutes(1), i => $"cam-{i % 2}"));
    }

    [Fact]
    public void The_unusual_hours_wrap_past_midnight_in_the_configured_zone()
    {
        _options.UnusualHoursStart = 22;
        _options.UnusualHoursEnd = 2;
        Assert.True(_options.IsUnusualHour(new DateTimeOffset(2026, 3, 9, 13, 30, 0, TimeSpan.Zero))); // 22:30 Seoul
        Assert.True(_options.IsUnusualHour(new DateTimeOffset(2026, 3, 9, 16, 59, 0, TimeSpan.Zero))); // 01:59 Seoul
        Assert.False(_options.IsUnusualHour(new DateTimeOffset(2026, 3, 9, 17, 0, 0, TimeSpan.Zero))); // 02:00 Seoul
        Assert.False(_options.IsUnusualHour(ThreeAm));
    }

    [Fact]
    public void Many_distinct_cameras_within_the_window_raise_a_flag_once_and_again_after_the_cooldown()
    {
        var detector = Detector();
        var flags = Views(detector, 50, Afternoon, TimeSpan.FromMinutes(1), i => $"cam-{i}");
        var flag = Assert.Single(flags);
        Assert.Equal(MisuseRules.ManyCameras, flag.Rule);
        Assert.Equal(20, flag.Evidence.Length);
        Assert.Equal(Afternoon + TimeSpan.FromMinutes(19), flag.RaisedAt);

        var later = Views(detector, 20, Afternoon + TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(1), i => $"cam-later-{i}");
        Assert.Single(later, f => f.Rule == MisuseRules.ManyCameras);
    }

    [Fact]
    public void Cameras_spread_beyond_the_window_or_viewed_under_incidents_raise_nothing()
    {
        Assert.Empty(Views(Detector(), 19, Afternoon, TimeSpan.FromMinutes(1), i => $"cam-{i}"));
        Assert.Empty(Views(Detector(), 40, Afternoon, TimeSpan.FromMinutes(4), i => $"cam-{i}"));
        Assert.Empty(Views(Detector(), 50, ThreeAm, TimeSpan.FromSeconds(30), i => $"cam-{i}", incident: "inc-1"));
    }

    [Fact]
    public void A_pattern_across_districts_raises_one_flag_per_district_with_that_districts_entries()
    {
        var detector = Detector();
        var flags = Enumerable.Range(0, 20).SelectMany(i => detector.Observe(View(Afternoon + TimeSpan.FromMinutes(i), $"cam-{i}", district: i % 4 == 0 ? "11010" : "11020"))).ToList();

        Assert.Equal(new[] { "11010", "11020" }, flags.Select(f => f.DistrictCode!));
        Assert.All(flags, f => Assert.Equal(MisuseRules.ManyCameras, f.Rule));
        Assert.Equal(5, flags[0].Evidence.Length);
        Assert.Equal(15, flags[1].Evidence.Length);
        Assert.NotEqual(flags[0].Id, flags[1].Id);
    }

    [Fact]
    public void Repeated_views_of_one_place_raise_a_flag_and_distant_cameras_do_not_count_as_one_place()
    {
        _places.Cameras["a"] = CityHall;
        _places.Cameras["b"] = new GeoPoint(CityHall.Latitude + 0.0005, CityHall.Longitude); // ~55 m north
        _places.Cameras["far"] = new GeoPoint(CityHall.Latitude + 0.01, CityHall.Longitude); // ~1.1 km north
        var flags = Views(Detector(), 5, Afternoon, TimeSpan.FromHours(2), i => i % 2 == 0 ? "a" : "b");
        var flag = Assert.Single(flags);
        Assert.Equal(MisuseRules.RepeatedViews, flag.Rule);
        Assert.Equal([1, 2, 3, 4, 5], flag.Evidence);

        Assert.Empty(Views(Detector(), 5, Afternoon, TimeSpan.FromHours(2), i => i % 2 == 0 ? "a" : "far"));
        Assert.Empty(Views(Detector(), 5, Afternoon, TimeSpan.FromHours(2), _ => "a", incident: "inc-1"));
    }

    private AuditRecord Open(DateTimeOffset at, string incident, bool person = true) =>
        Record(new AuditEntry(at, AuditKinds.IncidentOpen, "allow", person ? "pending-review" : "dispatch-system", AgencyId: "police-jung",
            IncidentId: incident, Actor: "police-jung/op-1", DistrictCode: "11020"));

    [Fact]
    public void An_incident_a_person_opened_and_nobody_confirmed_is_flagged_once_its_time_is_up()
    {
        var detector = Detector();
        var open = Open(Afternoon, "inc-1");
        detector.Observe(open);
        var view = View(Afternoon + TimeSpan.FromMinutes(1), "cam-1", "inc-1");
        detector.Observe(view);
        detector.Observe(Open(Afternoon, "inc-dispatch", person: false));
        detector.Observe(Open(Afternoon, "inc-confirmed"));
        detector.Observe(Record(new AuditEntry(Afternoon + TimeSpan.FromMinutes(5), AuditKinds.IncidentConfirm, "allow", "four-eyes", IncidentId: "inc-confirmed")));

        Assert.Empty(detector.Tick(Afternoon + _options.UnconfirmedAfter - TimeSpan.FromSeconds(1)));
        var flag = Assert.Single(detector.Tick(Afternoon + _options.UnconfirmedAfter));
        Assert.Equal(MisuseRules.UnconfirmedIncident, flag.Rule);
        Assert.Equal([open.Seq, view.Seq], flag.Evidence);
        Assert.Equal("police-jung/op-1", flag.Suspect);
        Assert.Empty(detector.Tick(Afternoon + TimeSpan.FromHours(3)));
    }

    [Fact]
    public void A_persons_incident_closed_quickly_with_views_in_between_is_flagged()
    {
        AuditRecord Close(DateTimeOffset at, string incident) =>
            Record(new AuditEntry(at, AuditKinds.IncidentClose, "allow", "resolved", IncidentId: incident, Actor: "police-jung/op-1", DistrictCode: "11020"));
        var detector = Detector();
        detector.Observe(Open(Afternoon, "quick"));
        detector.Observe(View(Afternoon + TimeSpan.FromMinutes(1), "cam-1", "quick"));
        var flag = Assert.Single(detector.Observe(Close(Afternoon + TimeSpan.FromMinutes(2), "quick")));
        Assert.Equal(MisuseRules.QuickClose, flag.Rule);
        Assert.Equal(3, flag.Evidence.Length);

        detector.Observe(Open(Afternoon, "no-views"));
        Assert.Empty(detector.Observe(Close(Afternoon + TimeSpan.FromMinutes(2), "no-views")));
        detector.Observe(Open(Afternoon, "long"));
        detector.Observe(View(Afternoon + TimeSpan.FromMinutes(1), "cam-1", "long"));
        Assert.Empty(detector.Observe(Close(Afternoon + TimeSpan.FromMinutes(20), "long")));
        detector.Observe(Open(Afternoon, "dispatch", person: false));
        detector.Observe(View(Afternoon + TimeSpan.FromMinutes(1), "cam-1", "dispatch"));
        Assert.Empty(detector.Observe(Close(Afternoon + TimeSpan.FromMinutes(2), "dispatch")));
    }

    [Fact]
    public void Denied_attempts_in_a_burst_are_flagged_and_spread_out_ones_are_not()
    {
        AuditRecord Denial(DateTimeOffset at, int i) =>
            Record(new AuditEntry(at, AuditKinds.AccessDecision, "deny", "outside-jurisdiction", $"cam-{i}", "police-jung", "s-1", null, "police-jung/op-1", DistrictCode: "11020"));
        var detector = Detector();
        var flags = Enumerable.Range(0, 25).SelectMany(i => detector.Observe(Denial(Afternoon + TimeSpan.FromSeconds(i * 10), i))).ToList();
        var flag = Assert.Single(flags);
        Assert.Equal(MisuseRules.DeniedBurst, flag.Rule);
        Assert.Equal(20, flag.Evidence.Length);

        var slow = Detector();
        Assert.Empty(Enumerable.Range(0, 25).SelectMany(i => slow.Observe(Denial(Afternoon + TimeSpan.FromMinutes(i), i))));
    }

    [Fact]
    public void A_view_under_an_incident_of_a_camera_far_from_it_is_flagged()
    {
        _places.Incidents["inc-1"] = CityHall;
        _places.Cameras["near"] = new GeoPoint(CityHall.Latitude + 0.005, CityHall.Longitude); // ~0.6 km
        _places.Cameras["far"] = new GeoPoint(CityHall.Latitude + 0.05, CityHall.Longitude);   // ~5.6 km
        var detector = Detector();
        var open = Open(Afternoon, "inc-1", person: false);
        detector.Observe(open);
        Assert.Empty(detector.Observe(View(Afternoon, "near", "inc-1")));
        Assert.Empty(detector.Observe(View(Afternoon, "unknown-camera", "inc-1")));
        var far = View(Afternoon, "far", "inc-1");
        var flag = Assert.Single(detector.Observe(far));
        Assert.Equal(MisuseRules.FarFromIncident, flag.Rule);
        Assert.Equal([open.Seq, far.Seq], flag.Evidence);
        Assert.Contains("5.6 km", flag.Summary);
    }

    [Fact]
    public void An_unmasked_view_without_an_incident_is_flagged_and_one_under_an_incident_is_not()
    {
        var detector = Detector();
        Assert.Empty(detector.Observe(View(Afternoon, "cam-1", "inc-1", kind: AuditKinds.UnmaskedView)));
        var flag = Assert.Single(detector.Observe(View(Afternoon, "cam-1", kind: AuditKinds.UnmaskedView)));
        Assert.Equal(MisuseRules.UnmaskedWithoutIncident, flag.Rule);
    }

    [Fact]
    public void After_a_restart_remembered_entries_count_and_remembered_flags_keep_the_rule_quiet()
    {
        var first = Detector();
        var entries = Enumerable.Range(0, 20).Select(i => View(Afternoon + TimeSpan.FromMinutes(i), $"cam-{i}")).ToList();
        var raised = entries.SelectMany(first.Observe).ToList();
        Assert.Single(raised);

        var resumed = Detector();
        entries.ForEach(resumed.Remember);
        raised.ForEach(resumed.Remember);
        Assert.Empty(resumed.Observe(View(Afternoon + TimeSpan.FromMinutes(21), "cam-new")));

        var forgetful = Detector();
        entries.ForEach(forgetful.Remember);
        Assert.Single(forgetful.Observe(View(Afternoon + TimeSpan.FromMinutes(21), "cam-new")));
    }

    [Fact]
    public void The_same_entries_give_the_same_flag_ids()
    {
        var a = Views(Detector(), 20, Afternoon, TimeSpan.FromMinutes(1), i => $"cam-{i}");
        _seq = 0;
        var b = Views(Detector(), 20, Afternoon, TimeSpan.FromMinutes(1), i => $"cam-{i}");
        Assert.Equal(a.Select(f => f.Id), b.Select(f => f.Id));
    }

    [Theory]
    [InlineData(3, 3, "must differ")]
    [InlineData(0, 24, "UnusualHoursEnd")]
    public void Bad_unusual_hours_are_refused_with_a_clear_message(int start, int end, string expected)
    {
        var options = new MisuseOptions { UnusualHoursStart = start, UnusualHoursEnd = end };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains(expected));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        var options = new MisuseOptions { TimeZone = "Mars/Olympus" };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Mars/Olympus"));
    }
}
