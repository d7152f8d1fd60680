"""The throwaway certificates local servers use (tooling/certs.py), and the local API server's PKI made of them."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tooling import certs
from tooling import localcluster as kube


def test_a_certificate_without_issuer_signs_itself() -> None:
    issued = certs.issue("localhost", 30, constraints=x509.BasicConstraints(ca=True, path_length=None))
    cert = issued.certificate
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value == "localhost"
    cert.verify_directly_issued_by(cert)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length is None
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_an_issued_certificate_names_its_hosts_and_verifies_against_its_ca() -> None:
    ca = certs.issue("test-ca", 2, constraints=x509.BasicConstraints(ca=True, path_length=0))
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    server = certs.issue("server", 2, names=names, issuer=ca)
    server.certificate.verify_directly_issued_by(ca.certificate)
    assert server.certificate.issuer == ca.certificate.subject
    san = server.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert not san.critical and list(san.value) == names
    with pytest.raises(x509.ExtensionNotFound):
        server.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    now = datetime.datetime.now(datetime.UTC)
    assert server.certificate.not_valid_before_utc < now - datetime.timedelta(minutes=4)
    lifetime = server.certificate.not_valid_after_utc - server.certificate.not_valid_before_utc
    assert datetime.timedelta(days=2) < lifetime <= datetime.timedelta(days=2, minutes=6)


def test_keys_are_written_as_pkcs8_pem() -> None:
    issued = certs.issue("localhost", 1)
    assert issued.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    key = serialization.load_pem_private_key(issued.key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert x509.load_pem_x509_certificate(issued.cert_pem) == issued.certificate


def test_the_local_api_servers_certificate_verifies_against_the_written_ca(tmp_path: Path) -> None:
    ca_pem = kube._certificates(tmp_path)
    assert (tmp_path / "ca.crt").read_bytes() == ca_pem
    ca = x509.load_pem_x509_certificate(ca_pem)
    server = x509.load_pem_x509_certificate((tmp_path / "apiserver.crt").read_bytes())
    server.verify_directly_issued_by(ca)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "kubernetes.default.svc" in san.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address(kube.HOST) in san.get_values_for_type(x509.IPAddress)
    key = serialization.load_pem_private_key((tmp_path / "apiserver.key").read_bytes(), password=None)
    public = server.public_key()
    assert isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(public, ec.EllipticCurvePublicKey)
    assert key.public_key().public_numbers() == public.public_numbers()
    assert (tmp_path / "sa.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
