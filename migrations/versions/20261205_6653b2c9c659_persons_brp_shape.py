"""persons in the BRP's shape: nationalities, earlier addresses, travel documents, the secrecy
flag, and staff's correction decisions

Revision ID: 6653b2c9c659
Revises: 7a8b9cab0c12
Create Date: 2026-12-05 21:10:00.000000

persons.nationaliteit (one text) becomes the JSON list nationaliteiten, adres_sinds takes
the BRP's name datum_aanvang_adreshouding, and the secrecy flag (false), earlier addresses
and travel documents (none) are added.
"""

import sqlalchemy as sa
from alembic import op

revision = '6653b2c9c659'
down_revision = '7a8b9cab0c12'
branch_labels = None
depends_on = None

_persons = sa.table('persons', sa.column('id', sa.Integer()),
                    sa.column('nationaliteit', sa.String()),
                    sa.column('nationaliteiten', sa.JSON()))


def upgrade() -> None:
    with op.batch_alter_table('persons') as batch_op:
        batch_op.alter_column('adres_sinds', new_column_name='datum_aanvang_adreshouding')
        batch_op.add_column(sa.Column('geheimhouding_persoonsgegevens', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        for name in ('nationaliteiten', 'eerdere_verblijfplaatsen', 'reisdocumenten'):
            batch_op.add_column(sa.Column(name, sa.JSON(), server_default='[]',
                                          nullable=False))
    # Each person's one nationality into the list: one UPDATE per nationality (Python
    # writes the JSON, the same way on SQLite and PostgreSQL).
    connection = op.get_bind()
    for nationaliteit in connection.scalars(sa.select(_persons.c.nationaliteit).distinct()
                                            .where(_persons.c.nationaliteit != '')).all():
        connection.execute(_persons.update().where(_persons.c.nationaliteit == nationaliteit)
                           .values(nationaliteiten=[nationaliteit]))
    with op.batch_alter_table('persons') as batch_op:
        batch_op.drop_column('nationaliteit')
    op.create_table(
        'correction_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
        sa.Column('bsn', sa.String(length=9), nullable=False),
        sa.Column('veld', sa.String(length=40), nullable=False),
        sa.Column('waarde', sa.String(length=200), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_decisions')),
        sa.UniqueConstraint('zaak_identificatie',
                            name=op.f('uq_correction_decisions_zaak_identificatie')),
    )


def downgrade() -> None:
    op.drop_table('correction_decisions')
    with op.batch_alter_table('persons') as batch_op:
        batch_op.add_column(sa.Column('nationaliteit', sa.String(length=100), nullable=False,
                                      server_default=''))
    # The first nationality recorded goes back into the single column.
    connection = op.get_bind()
    for person_id, nationaliteiten in connection.execute(
            sa.select(_persons.c.id, _persons.c.nationaliteiten)).all():
        if nationaliteiten:
            connection.execute(_persons.update().where(_persons.c.id == person_id)
                               .values(nationaliteit=nationaliteiten[0]))
    with op.batch_alter_table('persons') as batch_op:
        for name in ('reisdocumenten', 'eerdere_verblijfplaatsen', 'nationaliteiten',
                     'geheimhouding_persoonsgegevens'):
            batch_op.drop_column(name)
        batch_op.alter_column('datum_aanvang_adreshouding', new_column_name='adres_sinds')

