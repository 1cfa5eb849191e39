using Microsoft.AspNetCore.Http;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// What <see cref="UploadReader"/> got: the file's bytes, or the status to answer and a fixed reason for the
/// log. The reason is ours, never the framework's message: MultipartReader quotes the client's header lines.
/// </summary>
internal readonly record struct UploadOutcome(ReadOnlyMemory<byte> Bytes, int Status, string Reason)
{
    public bool Succeeded => Status == StatusCodes.Status200OK;

    public static UploadOutcome Read(ReadOnlyMemory<byte> bytes) => new(bytes, StatusCodes.Status200OK, "");

    public static UploadOutcome Refused(int status, string reason) => new(ReadOnlyMemory<byte>.Empty, status, reason);
}
