import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompaniesService } from './companies.service';
import { Company } from './company.entity';
import { Contact } from './contact.entity';
import { ContactsService } from './contacts.service';
import { ListEntriesService } from './list-entries.service';
import { ListEntry } from './list-entry.entity';
import { PeopleService } from './people.service';
import { Person } from './person.entity';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';
import { TeamsService } from './teams.service';

/** People, teams, companies, contacts and the small managed lists. Needs `CrmCoreModule`. */
@Module({
  imports: [TypeOrmModule.forFeature([Person, Team, TeamMember, Company, Contact, ListEntry])],
  controllers: [],
  providers: [PeopleService, TeamsService, CompaniesService, ContactsService, ListEntriesService],
  exports: [PeopleService, TeamsService, CompaniesService, ContactsService, ListEntriesService],
})
export class DirectoryModule {}
