namespace LabelStamp.Provenance;

/// <summary>An RFC 3161 time-stamping authority: takes a DER TimeStampReq, returns the DER TimeStampResp.</summary>
public interface ITimestampAuthority
{
    byte[] Timestamp(byte[] timeStampRequest);
}
