using System.Runtime.InteropServices;
using LabelStamp.Worker.Broker;

namespace LabelStamp.Worker.Tests;

/// <summary>
/// The embedded broker's librdkafka is found where a build puts it (runtimes/RID/native) and where a publish for one
/// runtime puts it, beside the app (the launcher's ReadyToRun publish and the image's): that layout once left the demo
/// without a broker on a machine without libsasl2, whose glibc build does not load there.
/// </summary>
public sealed class LibrdkafkaLocatorTests
{
    private static string NativeDir => Path.Combine(AppContext.BaseDirectory, "runtimes",
        "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), "native");

    [Fact]
    public void A_publish_for_one_runtime_has_it_beside_the_app()
    {
        var flat = Directory.CreateTempSubdirectory("labelstamp-flat-");
        try
        {
            string[] libraries = Directory.GetFiles(NativeDir, "*librdkafka.so");
            Assert.NotEmpty(libraries);
            foreach (string so in libraries) File.Copy(so, Path.Combine(flat.FullName, Path.GetFileName(so)));
            var found = LibrdkafkaLocator.Find(LibrdkafkaLocator.Candidates(flat.FullName));
            Assert.NotNull(found);
            Assert.Equal(flat.FullName, Path.GetDirectoryName(found.Value.Path));
            Assert.NotEqual(0, found.Value.Handle);
        }
        finally
        {
            flat.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_build_has_it_in_the_runtime_folder_which_comes_first()
    {
        var found = LibrdkafkaLocator.Find(LibrdkafkaLocator.Candidates(AppContext.BaseDirectory));
        Assert.NotNull(found);
        Assert.Equal(NativeDir, Path.GetDirectoryName(found.Value.Path));
    }

    [Fact]
    public void An_app_without_it_finds_none()
    {
        var empty = Directory.CreateTempSubdirectory("labelstamp-empty-");
        try
        {
            Assert.Null(LibrdkafkaLocator.Find(LibrdkafkaLocator.Candidates(empty.FullName)));
        }
        finally
        {
            empty.Delete();
        }
    }
}
