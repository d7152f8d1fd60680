"""Throwaway X.509 certificates for servers on this machine (the local Kubernetes API server, stand-ins in
tests): an EC P-256 key, valid from five minutes ago (clock skew) for a number of days, SHA-256 signed."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return pem_key(self.key)


def pem_key(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    """A private key as unencrypted PKCS#8 PEM, the form servers and kubeconfigs read."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def issue(
    common_name: str,
    days: float,
    *,
    names: Sequence[x509.GeneralName] = (),
    constraints: x509.BasicConstraints | None = None,
    issuer: Issued | None = None,
) -> Issued:
    """A certificate for `common_name` with `names` as its subject alternative names and `constraints` (critical)
    when given, signed by `issuer`, or by its own key when there is none."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
    if constraints is not None:
        builder = builder.add_extension(constraints, critical=True)
    return Issued(builder.sign(issuer.key if issuer else key, hashes.SHA256()), key)
