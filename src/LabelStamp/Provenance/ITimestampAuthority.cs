namespace LabelStamp.Provenance;

/// <summary>An RFC 3161 time-stamping authority: takes a DER TimeStampReq, returns the DER TimeStampResp.</summary>
public interface ITimestampAuthority
{
    /// <summary>How errors name the authority (its URL); never a secret.</summary>
    string Name { get; }

    byte[] Timestamp(byte[] timeStampRequest);
}
