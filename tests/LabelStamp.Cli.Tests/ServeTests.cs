using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LabelStamp.TestSupport;
using LabelStamp.Worker.Store;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// `labelstamp serve` as a CDN and a user meet it: a real process bound to a free loopback port, and
/// curl as the independent HTTP client. The store holds a labeled JPEG (two versions of the same
/// content ID: the newest must win), a WAV, and an object of a longer ID sharing the prefix.
/// </summary>
public sealed class ServeTests : IClassFixture<ServeTests.Server>
{
    private readonly Server _server;

    public ServeTests(Server server) => _server = server;

    public sealed class Server : IDisposable
    {
        private readonly Process _process;

        public Server()
        {
            Store = RepoPaths.NewTempDir();
            string work = RepoPaths.NewTempDir();
            var env = new Dictionary<string, string> { ["LABELSTAMP_MARK_KEY"] = new string('a', 64), ["LABELSTAMP_PRODUCER"] = "001191310000000000000000000" };
            var stamped = ExternalTool.Run("dotnet", [Cli, "stamp", RepoPaths.Samples("images", "ladybird.jpg"), "-o", work, "--layers", "explicit,metadata,watermark"], 180_000, env);
            Assert.True(stamped.ExitCode == 0, stamped.StdErr);
            Labeled = File.ReadAllBytes(Path.Combine(work, "ladybird.jpg"));
            Unlabeled = File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg"));

            // Workers write into the labeled area; inputs sit in their own area and must never be served.
            string labeled = Path.Combine(Store, FileClaimCheckStore.LabeledArea), inputs = Path.Combine(Store, FileClaimCheckStore.InputsArea);
            Directory.CreateDirectory(labeled);
            Directory.CreateDirectory(inputs);
            InputObjectName = FileClaimCheckStore.ObjectName("img-1", Unlabeled, ".jpg");
            File.WriteAllBytes(Path.Combine(inputs, InputObjectName), Unlabeled);
            File.WriteAllBytes(Path.Combine(inputs, FileClaimCheckStore.ObjectName("raw-9", Unlabeled, ".jpg")), Unlabeled);
            File.WriteAllBytes(Path.Combine(Store, FileClaimCheckStore.ObjectName("root-3", Unlabeled, ".jpg")), Unlabeled);
            // An older, different object for the same content ID: the origin must serve the newest.
            string older = Path.Combine(labeled, FileClaimCheckStore.ObjectName("img-1", Labeled[..3000], ".jpg"));
            File.WriteAllBytes(older, Labeled[..3000]);
            File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddHours(-1));
            ObjectName = FileClaimCheckStore.ObjectName("img-1", Labeled, ".jpg");
            File.WriteAllBytes(Path.Combine(labeled, ObjectName), Labeled);
            byte[] other = [.. Labeled[..2000]];
            File.WriteAllBytes(Path.Combine(labeled, FileClaimCheckStore.ObjectName("img-1-b", other, ".jpg")), other);
            Wav = File.ReadAllBytes(WavSample(work));
            File.WriteAllBytes(Path.Combine(labeled, FileClaimCheckStore.ObjectName("song/7", Wav, ".wav")), Wav);

            (_process, Base) = Start(Store, "--max-upload", "1500000", "--verify-burst", "4", "--verify-per-minute", "1");
        }

        /// <summary>Starts <c>labelstamp serve</c> on a free loopback port and returns it with its base URL.</summary>
        public static (Process Process, string Base) Start(string store, params string[] flags)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { Cli, "serve", "--listen", "http://127.0.0.1:0", "--store", new Uri(store).AbsoluteUri }.Concat(flags))
                psi.ArgumentList.Add(a);
            psi.Environment["LABELSTAMP_MARK_KEY"] = new string('a', 64);
            var process = Process.Start(psi)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var line = process.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is null)
                throw new InvalidOperationException("serve did not report its address within 60 s");
            string baseUrl = System.Text.RegularExpressions.Regex.Match(line.Result, @"http://127\.0\.0\.1:\d+").Value;
            Assert.False(string.IsNullOrEmpty(baseUrl), line.Result);
            return (process, baseUrl);
        }

        public static string Cli => Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll");
        public string Store { get; }
        public string Base { get; }
        public string ObjectName { get; }
        /// <summary>The unlabeled input of img-1, in the store's inputs area.</summary>
        public string InputObjectName { get; }
        public byte[] Labeled { get; }
        public byte[] Unlabeled { get; }
        public byte[] Wav { get; }

        private static string WavSample(string dir)
        {
            string path = Path.Combine(dir, "tone.wav");
            var r = ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-ac", "1", "-ar", "16000", "-y", path]);
            Assert.True(r.ExitCode == 0, r.StdErr);
            return path;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }

    /// <summary>curl with the status code and headers dumped; the body goes to a file.</summary>
    private (int Status, Dictionary<string, string> Headers, byte[] Body) Curl(params string[] args)
    {
        string body = Path.Combine(RepoPaths.NewTempDir(), "body");
        var r = ExternalTool.Run("curl", ["-sS", "-D", "-", "-o", body, .. args], 60_000);
        Assert.True(r.ExitCode == 0, $"curl {string.Join(' ', args)}: {r.StdErr}");
        var blocks = r.StdOut.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] lines = blocks[^1].Split("\r\n"); // the final response (after any 100 Continue)
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string l in lines.Skip(1))
            if (l.IndexOf(':') is int i and > 0) headers[l[..i].Trim()] = l[(i + 1)..].Trim();
        return (status, headers, File.Exists(body) ? File.ReadAllBytes(body) : []);
    }

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [Fact]
    public void Get_by_content_id_serves_the_newest_object_with_strong_etag_type_and_immutable_caching()
    {
        var (status, headers, body) = Curl(_server.Base + "/media/img-1");
        Assert.Equal(200, status);
        Assert.Equal(_server.Labeled, body);
        Assert.Equal($"\"{Sha(_server.Labeled)}\"", headers["ETag"]);
        Assert.Equal("image/jpeg", headers["Content-Type"]);
        Assert.Equal("public, max-age=31536000, immutable", headers["Cache-Control"]);
        Assert.Equal("bytes", headers["Accept-Ranges"]);

        var head = Curl("-I", _server.Base + "/media/img-1");
        Assert.Equal(200, head.Status);
        Assert.Equal(_server.Labeled.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers["Content-Length"]);
        // curl -I writes the header block where the body would go: no byte of the JPEG may follow it.
        Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(head.Body));
        Assert.True(head.Body.Length < 1024, $"HEAD returned {head.Body.Length} bytes");

        var exact = Curl(_server.Base + "/objects/" + _server.ObjectName);
        Assert.Equal((200, headers["ETag"]), (exact.Status, exact.Headers["ETag"]));

        var wav = Curl(_server.Base + "/media/song%2F7");
        Assert.Equal((200, "audio/wav"), (wav.Status, wav.Headers["Content-Type"]));
        Assert.Equal(_server.Wav, wav.Body);
    }

    [Fact]
    public void Conditional_and_range_requests_follow_rfc_9110()
    {
        string url = _server.Base + "/media/img-1";
        string etag = $"\"{Sha(_server.Labeled)}\"";
        int n = _server.Labeled.Length;

        var notModified = Curl("-H", "If-None-Match: " + etag, url);
        Assert.Equal(304, notModified.Status);
        Assert.Empty(notModified.Body);
        Assert.Equal(200, Curl("-H", "If-None-Match: \"0000\"", url).Status);

        var range = Curl("-H", "Range: bytes=100-1123", url);
        Assert.Equal(206, range.Status);
        Assert.Equal($"bytes 100-1123/{n}", range.Headers["Content-Range"]);
        Assert.Equal(_server.Labeled[100..1124], range.Body);
        var suffix = Curl("-H", "Range: bytes=-10", url);
        Assert.Equal(206, suffix.Status);
        Assert.Equal(_server.Labeled[^10..], suffix.Body);

        var unsatisfiable = Curl("-H", $"Range: bytes={n}-", url);
        Assert.Equal(416, unsatisfiable.Status);
        Assert.Equal($"bytes */{n}", unsatisfiable.Headers["Content-Range"]);

        // Multi-range is answered with the whole object (documented in docs/platform.md).
        var multi = Curl("-H", "Range: bytes=0-9,20-29", url);
        Assert.Equal((200, n), (multi.Status, multi.Body.Length));
    }

    [Fact]
    public void Unknown_ids_prefixes_and_traversal_are_404()
    {
        Assert.Equal(404, Curl(_server.Base + "/media/nope").Status);
        Assert.Equal(404, Curl(_server.Base + "/media/img").Status);               // a prefix of a stored ID is not that ID
        Assert.Equal(404, Curl(_server.Base + "/objects/..%2F..%2Fetc%2Fpasswd").Status);
        Assert.Equal(404, Curl("--path-as-is", _server.Base + "/objects/../../etc/passwd").Status);
        var longer = Curl(_server.Base + "/media/img-1-b");
        Assert.Equal((200, 2000), (longer.Status, longer.Body.Length));              // and the longer ID gets its own object
    }

    [Fact]
    public void Verify_reports_labeled_and_unlabeled_uploads_refuses_oversized_ones_and_rate_limits()
    {
        string dir = RepoPaths.NewTempDir();
        string labeled = Path.Combine(dir, "labeled.jpg"), plain = Path.Combine(dir, "plain.jpg"), big = Path.Combine(dir, "big.bin");
        File.WriteAllBytes(labeled, _server.Labeled);
        File.WriteAllBytes(plain, _server.Unlabeled);
        var noise = new byte[3_000_000];
        new Random(9).NextBytes(noise); // fixed seed
        File.WriteAllBytes(big, noise);
        string url = _server.Base + "/verify";

        var found = Curl("--data-binary", "@" + labeled, "-H", "Content-Type: application/octet-stream", url);
        Assert.Equal(200, found.Status);
        Assert.Equal("found", found.Headers["X-LabelStamp-Verdict"]);
        using (var json = JsonDocument.Parse(found.Body))
        {
            Assert.True(json.RootElement.GetProperty("aiLabelFound").GetBoolean());
            Assert.Equal("found", json.RootElement.GetProperty("metadata").GetProperty("state").GetString());
            Assert.Equal("found", json.RootElement.GetProperty("watermark").GetProperty("state").GetString());
            Assert.Equal("upload", json.RootElement.GetProperty("file").GetString()); // never the client's file name
        }

        var none = Curl("-F", "file=@" + plain, url); // multipart/form-data
        Assert.Equal(200, none.Status);
        Assert.Equal("none", none.Headers["X-LabelStamp-Verdict"]);
        using (var json = JsonDocument.Parse(none.Body))
            Assert.False(json.RootElement.GetProperty("aiLabelFound").GetBoolean());

        var tooBig = Curl("--data-binary", "@" + big, url);
        Assert.Equal(413, tooBig.Status);

        Assert.Equal(422, Curl("--data-binary", "not media at all", url).Status); // the fourth token: an error report

        var limited = Curl("--data-binary", "@" + plain, url); // burst 4 used up
        Assert.Equal(429, limited.Status);
        Assert.True(limited.Headers.ContainsKey("Retry-After"));
        // No trusted proxy configured: a client cannot escape its bucket by claiming another address.
        Assert.Equal(429, Curl("-H", "X-Forwarded-For: 203.0.113.9", "--data-binary", "not media", url).Status);
        Assert.Equal(200, Curl(_server.Base + "/health").Status); // and the origin keeps serving
    }

    [Fact]
    public void Behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket()
    {
        var (process, baseUrl) = Server.Start(RepoPaths.NewTempDir(), "--verify-burst", "1", "--verify-per-minute", "1", "--trusted-proxies", "127.0.0.1,10.0.0.0/8");
        try
        {
            string url = baseUrl + "/verify";
            int Post(params string[] headers) => Curl([.. headers, "--data-binary", "not media", url]).Status;
            Assert.Equal(422, Post("-H", "X-Forwarded-For: 203.0.113.1"));                 // client A's one token
            Assert.Equal(429, Post("-H", "X-Forwarded-For: 203.0.113.1"));                 // A is out
            Assert.Equal(422, Post("-H", "X-Forwarded-For: 203.0.113.2"));                 // B has its own bucket
            Assert.Equal(429, Post("-H", "X-Forwarded-For: 203.0.113.2, 10.1.2.3"));       // through a second trusted hop: still B
            Assert.Equal(422, Post("-H", "X-Forwarded-For: 203.0.113.2, 198.51.100.7"));   // an untrusted hop is the client, whatever it claims before
            Assert.Equal(422, Post());                                                       // the proxy's own requests: the proxy's bucket
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
    }

    /// <summary>Issue 17 / spec §7: inputs and labeled outputs live apart, and the origin serves labeled
    /// outputs only — an input object is not served by its name, nor by its content ID, nor is anything
    /// outside the labeled area.</summary>
    [Fact]
    public void Input_objects_are_never_served_by_either_route()
    {
        Assert.Equal(404, Curl(_server.Base + "/objects/" + _server.InputObjectName).Status);
        Assert.Equal(404, Curl(_server.Base + "/media/raw-9").Status);
        Assert.Equal(404, Curl(_server.Base + "/media/root-3").Status);
        Assert.Equal(404, Curl(_server.Base + "/objects/..%2Finputs%2F" + _server.InputObjectName).Status);
        var (status, _, body) = Curl(_server.Base + "/media/img-1"); // the same content ID: its labeled output
        Assert.Equal(200, status);
        Assert.Equal(_server.Labeled, body);
    }
}
